package dev.herald.support;

import java.util.Locale;
import java.util.Optional;

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
 * The two ways in: services with an API key, end users with a signed token, and, where both may
 * read, either. Each interceptor refuses with 401 problem+json, or stores who the caller is in a
 * request attribute that the controllers read with {@code @RequestAttribute}.
 */
public final class Authentication {

    /** Request attribute: the name of the calling service's API key. */
    public static final String SERVICE = "herald.service";

    /** Request attribute: the user id of a verified user token. */
    public static final String USER = "herald.user";

    /**
     * Request attribute: the channel patterns a verified user token grants (a {@code List<String>},
     * see {@code Channels.anyGrants}); set by {@link #apiKeyOrUserToken} for users, absent for services.
     */
    public static final String CHANNELS = "herald.channels";

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

    /**
     * Lets in a service or an end user: a bearer that is a valid API key is a service, and must have
     * {@code scope} (403 without it); any other bearer must verify as a user token (401 otherwise),
     * whose user id and channel patterns are stored in {@link #USER} and {@link #CHANNELS}. What a
     * user may read is for the controller to decide from those patterns; a service may read anything.
     */
    public static HandlerInterceptor apiKeyOrUserToken(ApiKeys keys, ApiKeys.Scope scope, UserTokens tokens) {
        return new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                if (CorsUtils.isPreFlightRequest(request)) {
                    return true; // a browser's CORS pre-flight carries no credentials
                }
                String bearer = bearer(request, "an API key or a user token");
                Optional<ApiKeys.Caller> service = keys.authenticate(bearer);
                if (service.isPresent()) {
                    if (!service.get().may(scope)) {
                        throw ApiException.forbidden("the API key '" + service.get().name() + "' lacks the scope '"
                                + scope.name().toLowerCase(Locale.ROOT) + "'");
                    }
                    request.setAttribute(SERVICE, service.get().name());
                    return true;
                }
                UserTokens.VerifiedToken user;
                try {
                    user = tokens.verify(bearer);
                }
                catch (InvalidTokenException ex) {
                    throw ApiException.unauthorized("neither a valid API key nor a valid user token: " + ex.getMessage());
                }
                request.setAttribute(USER, user.userId());
                request.setAttribute(CHANNELS, user.channels());
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
