package io.switchboard.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PusherNamesTest {

    @Test
    void channelNamesFollowPushersRules() {
        assertThat(PusherNames.channelProblem("private-" + "a".repeat(156))).isNull();
        assertThat(PusherNames.channelProblem("private-" + "a".repeat(157))).contains("164");
        assertThat(PusherNames.channelProblem("presence-org.5;x=y@z,w_-")).isNull();
        for (String bad : new String[] {"private-a b", "private-a/b", "private-é", "private-a:b", "private-a\nb"}) {
            assertThat(PusherNames.channelProblem(bad)).as(bad).isNotNull();
        }
        assertThat(PusherNames.channelProblem("")).isNotNull();
        assertThat(PusherNames.channelProblem(null)).isNotNull();
    }

    @Test
    void eventNamesAreNotPushersOwnAndAtMost200Characters() {
        assertThat(PusherNames.eventProblem("audit.step_completed")).isNull();
        assertThat(PusherNames.eventProblem("e".repeat(200))).isNull();
        assertThat(PusherNames.eventProblem("e".repeat(201))).contains("200");
        assertThat(PusherNames.eventProblem("pusher:subscribe")).contains("reserved");
        assertThat(PusherNames.eventProblem("pusher_internal:member_added")).contains("reserved");
        assertThat(PusherNames.eventProblem("pusher-ish.event")).isNull();
        assertThat(PusherNames.eventProblem("")).isNotNull();
    }

    @Test
    void socketIdsAreDigitsDotDigits() {
        assertThat(PusherNames.socketIdProblem("123.456")).isNull();
        for (String bad : new String[] {"123", "123.", ".456", "a.1", "1.2.3", "١٢.٣", "123.456\n", ""}) {
            assertThat(PusherNames.socketIdProblem(bad)).as(bad).isNotNull();
        }
    }
}
