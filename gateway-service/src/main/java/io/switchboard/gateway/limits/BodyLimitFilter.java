package io.switchboard.gateway.limits;

import io.switchboard.gateway.http.RefusalCors;
import io.switchboard.gateway.http.Refusals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.ToLongFunction;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a body above its path's limit with {@code 413}, before anything parses it. A declared
 * {@code Content-Length} above the limit is refused without reading a byte (the container never delivers more than
 * the declared length, so a smaller one is safe as it is). A body of unknown length (chunked) is read here, at most
 * the limit plus one byte: above the limit it is refused, otherwise the request goes on with the bytes in memory
 * ({@link CachedBodyRequest}), so no later reader can be made to take more. After a 413 Tomcat closes the
 * connection once it has discarded at most {@code server.tomcat.max-swallow-size} (2 MB) of what the client still
 * sends, so the rest of a huge body is never read. A 413 to an allowed cross-origin caller carries the CORS headers
 * it would get on success ({@link RefusalCors}): this filter runs before Spring Security's CORS filter.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

    private final ToLongFunction<HttpServletRequest> limitFor;
    private final RefusalCors cors;

    /**
     * @param limitFor the limit in bytes for a request, or a negative number for none
     * @param cors the CORS headers a refusal carries
     */
    public BodyLimitFilter(ToLongFunction<HttpServletRequest> limitFor, RefusalCors cors) {
        this.limitFor = limitFor;
        this.cors = cors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long limit = limitFor.applyAsLong(request);
        if (limit < 0) {
            chain.doFilter(request, response);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(request, response, limit);
            return;
        }
        if (declared >= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(Math.toIntExact(limit + 1));
        if (body.length > limit) {
            refuse(request, response, limit);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
        cors.addHeaders(request, response);
        Refusals.refuse(request, response, 413, Refusals.BODY_TOO_LARGE, "the body is larger than " + limit + " bytes");
    }
}
