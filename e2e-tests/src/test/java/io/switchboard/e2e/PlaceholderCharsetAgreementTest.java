package io.switchboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The router and the gateway must agree on the characters a placeholder value may hold (issue 14: "choose one
 * charset for both"): every channel the router can name from a payload value is one the gateway's templates can
 * match, and no value can hold a separator on either side. The two services do not depend on each other, so each
 * keeps its own copy of the rule; this test holds the copies equal.
 */
class PlaceholderCharsetAgreementTest {

    @Test
    void routerAndGatewayAcceptExactlyTheSamePlaceholderCharacters() throws Exception {
        Method router = method("io.switchboard.router.routing.ChannelName", "isSafeValueChar");
        Method gateway = method("io.switchboard.gateway.auth.ChannelTemplate", "isValueChar");
        List<String> disagreements = new ArrayList<>();
        StringBuilder accepted = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            boolean r = (boolean) router.invoke(null, c);
            boolean g = (boolean) gateway.invoke(null, c);
            if (r != g) {
                disagreements.add(String.format("U+%04X router=%s gateway=%s", (int) c, r, g));
            }
            if (r) {
                accepted.append(c);
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(accepted.toString()).isEqualTo("-0123456789=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");
    }

    private static Method method(String type, String name) throws Exception {
        Method m = Class.forName(type).getDeclaredMethod(name, char.class);
        m.setAccessible(true); // package-private on purpose in both services: this test only reads the rule
        return m;
    }
}
