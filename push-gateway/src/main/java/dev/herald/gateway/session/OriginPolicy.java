package dev.herald.gateway.session;

import java.net.URI;
import java.util.List;

import org.springframework.web.cors.CorsConfiguration;

/**
 * Which browser pages may open {@code /ws}: those of {@code herald.cors.allowed-origins} (the same
 * list, and the same patterns, as the REST APIs), or, when it is empty, only pages of the
 * WebSocket's own origin. A request without an Origin header is not from a browser page (a
 * server, an app) and is not restricted by it.
 */
final class OriginPolicy {

    private final CorsConfiguration allowed;
    private final boolean sameOriginOnly;
    private final boolean tls;

    OriginPolicy(List<String> allowedOrigins, boolean tls) {
        this.sameOriginOnly = allowedOrigins.isEmpty();
        this.allowed = new CorsConfiguration();
        this.allowed.setAllowedOriginPatterns(allowedOrigins);
        this.tls = tls;
    }

    /** @param origin the request's Origin header, or null; @param host its Host header, or null */
    boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (sameOriginOnly) {
            return sameOrigin(origin, host);
        }
        return allowed.checkOrigin(origin) != null || sameOrigin(origin, host);
    }

    private boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI page = URI.create(origin);
            URI self = URI.create((tls ? "https://" : "http://") + host);
            return page.getHost() != null && page.getHost().equalsIgnoreCase(self.getHost())
                    && port(page) == port(self) && (tls ? "https" : "http").equalsIgnoreCase(page.getScheme());
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
