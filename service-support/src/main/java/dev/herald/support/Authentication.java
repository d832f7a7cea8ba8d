package dev.herald.support;

import java.util.Locale;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.InvalidTokenException;
import dev.herald.auth.UserTokens;

import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The two ways in: services with an API key, end users with a signed token. Each interceptor
 * refuses with 401 problem+json, or stores who the caller is in a request attribute that the
 * controllers read with {@code @RequestAttribute}.
 */
public final class Authentication {

    /** Request attribute: the name of the calling service's API key. */
    public static final String SERVICE = "herald.service";

    /** Request attribute: the user id of a verified user token. */
    public static final String USER = "herald.user";

    private Authentication() {
    }

    /** Requires an API key that has {@code scope}: 401 without a valid key, 403 without the scope. */
    public static HandlerInterceptor apiKeys(ApiKeys keys, ApiKeys.Scope scope) {
        return new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (CorsUtils.isPreFlightRequest(request)) {
                    return true; // a browser's CORS pre-flight carries no credentials
                }
                if (request.getDispatcherType() == DispatcherType.FORWARD && request.getAttribute(SERVICE) instanceof String) {
                    return true; // forwarded by this service's own code, which named the caller (the dev helpers)
                }
                ApiKeys.Caller caller = keys.authenticate(bearer(request, "an API key"))
                        .orElseThrow(() -> ApiException.unauthorized("the API key is not valid"));
                if (!caller.may(scope)) {
                    throw ApiException.forbidden("the API key '" + caller.name() + "' lacks the scope '"
                            + scope.name().toLowerCase(Locale.ROOT) + "'");
                }
                request.setAttribute(SERVICE, caller.name());
                return true;
            }
        };
    }

    public static HandlerInterceptor userTokens(UserTokens tokens) {
        return new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (CorsUtils.isPreFlightRequest(request)) {
                    return true; // a browser's CORS pre-flight carries no credentials
                }
                try {
                    request.setAttribute(USER, tokens.verify(bearer(request, "a user token")).userId());
                }
                catch (InvalidTokenException ex) {
                    throw ApiException.unauthorized(ex.getMessage());
                }
                return true;
            }
        };
    }

    private static String bearer(HttpServletRequest request, String what) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            throw ApiException.unauthorized("send " + what + " as 'Authorization: Bearer <" + what.substring(what.indexOf(' ') + 1) + ">'");
        }
        return header.substring(7).trim();
    }
}
