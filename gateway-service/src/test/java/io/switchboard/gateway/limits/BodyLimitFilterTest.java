package io.switchboard.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.http.RefusalCors;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The filter's own decisions; RequestLimitsIT runs it in Tomcat with real declared and chunked bodies. */
class BodyLimitFilterTest {

    private final BodyLimitFilter filter = new BodyLimitFilter(request -> 64, new RefusalCors(request -> null));

    /** A request without a declared length, as a chunked one arrives. */
    private static MockHttpServletRequest chunked(String contentType, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest() {
            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public int getContentLength() {
                return -1;
            }
        };
        request.setMethod("POST");
        request.setRequestURI("/api/realtime/pusher/auth");
        request.setContentType(contentType);
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        request.setQueryString("from=query");
        return request;
    }

    @Test
    void aChunkedFormBodyWithinTheLimitReachesTheControllerParsed() throws Exception {
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(
                chunked("application/x-www-form-urlencoded", "socket_id=123.456&channel_name=private-a%2Eb"),
                response,
                (req, res) -> seen.set((HttpServletRequest) req));
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(seen.get().getParameter("socket_id")).isEqualTo("123.456");
        assertThat(seen.get().getParameter("channel_name")).isEqualTo("private-a.b");
        assertThat(seen.get().getParameter("from")).isEqualTo("query");
        assertThat(new String(seen.get().getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("socket_id=");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndNeverReachesTheController() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
        filter.doFilter(
                chunked("application/json", "{\"socket_id\":\"" + "1".repeat(64) + "\"}"),
                response,
                (req, res) -> seen.set((HttpServletRequest) req));
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(seen.get()).isNull();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedUnread() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/realtime/pusher/auth");
        request.setContent(new byte[65]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, (req, res) -> {
            throw new AssertionError("reached the controller");
        });
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("larger than 64 bytes");
    }
}
