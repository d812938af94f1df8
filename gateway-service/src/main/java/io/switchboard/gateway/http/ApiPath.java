package io.switchboard.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UrlPathHelper;

/**
 * Which public endpoint a request reaches, read as the servlet container and Spring route it: the path decoded and
 * without path parameters (Spring's {@link UrlPathHelper}), never the raw {@code getRequestURI()}. The raw URI of
 * {@code /api/realtime/pusher/%61uth} or {@code /api/realtime/pusher/auth;x=1} does not end in {@code /auth}, yet
 * both reach the auth endpoint; the refusal counter's {@code endpoint} tag and the body limit's choice must see what
 * the endpoint sees.
 */
public final class ApiPath {

    public static final String PREFIX = "/api/realtime/pusher";
    public static final String AUTH = "auth";
    public static final String USER_AUTH = "user-auth";
    public static final String TEST = "test";
    public static final String OTHER = "other";

    // decodes %XX and removes ";..." path parameters (its defaults); getPathWithinApplication drops the context path
    private static final UrlPathHelper PATHS = UrlPathHelper.defaultInstance;

    private ApiPath() {}

    /** {@link #AUTH}, {@link #USER_AUTH}, {@link #TEST}, or {@link #OTHER} for any other path. */
    public static String endpoint(HttpServletRequest request) {
        String path = PATHS.getPathWithinApplication(request);
        return switch (path) {
            case PREFIX + "/" + AUTH -> AUTH;
            case PREFIX + "/" + USER_AUTH -> USER_AUTH;
            case PREFIX + "/" + TEST -> TEST;
            default -> OTHER;
        };
    }
}
