package io.switchboard.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Review of issue 16: DNS rebinding against the console open on loopback. */
class LoopbackHostFilterTest {

    @Test
    void letsThroughOnlyRequestsForALoopbackHost() throws Exception {
        for (String host : new String[] {
            "localhost",
            "localhost:8084",
            "LOCALHOST:8084",
            "127.0.0.1",
            "127.0.0.1:8084",
            "127.3.4.5:1",
            "[::1]",
            "[::1]:8084"
        }) {
            assertThat(status(host)).as(host).isEqualTo(200);
        }
    }

    @Test
    void refusesAnyOtherHostWith403() throws Exception {
        for (String host : new String[] {
            "rebound.example",
            "rebound.example:8084",
            "127.0.0.1.rebound.example",
            "localhost.rebound.example:8084",
            "10.0.0.7:8084",
            "0.0.0.0:8084",
            "::1",
            "[::1",
            "[::2]:8084",
            "localhost:http",
            "localhost:8084:1",
            ""
        }) {
            assertThat(status(host)).as("'" + host + "'").isEqualTo(403);
        }
        assertThat(status(null)).as("no Host at all").isEqualTo(403);
    }

    @Test
    void saysWhyInTheBodyAndTagsTheRefusal() throws Exception {
        MockHttpServletRequest request = request("rebound.example:8084");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();

        new LoopbackHostFilter().doFilter(request, response, chain);

        assertThat(chain.getRequest()).as("the request went no further").isNull();
        assertThat(response.getContentAsString()).contains("localhost, 127.0.0.1 or [::1] only");
        assertThat(Refusals.reason(request)).isEqualTo(Refusals.HOST_NOT_LOOPBACK);
    }

    private static int status(String host) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new LoopbackHostFilter().doFilter(request(host), response, new MockFilterChain());
        return response.getStatus();
    }

    private static MockHttpServletRequest request(String host) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/console/api/feed");
        request.removeHeader("Host");
        if (host != null) {
            request.addHeader("Host", host);
        }
        return request;
    }
}
