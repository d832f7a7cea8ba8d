package dev.herald.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.ApiKeys.Scope;
import dev.herald.auth.UserTokens;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/** What may read where either a service or an end user may: {@link Authentication#apiKeyOrUserToken}. */
class AuthenticationTests {

    private static final String READER_KEY = "reader-key";
    private static final String SENDER_KEY = "sender-key";

    private final UserTokens tokens = new UserTokens("authentication-tests-secret-0123456789abcdef", Clock.systemUTC());
    private final HandlerInterceptor interceptor = Authentication.apiKeyOrUserToken(new ApiKeys(List.of(
            ApiKeys.Key.fromHash("reader", ApiKeys.hash(READER_KEY), Set.of(Scope.READ)),
            ApiKeys.Key.fromHash("sender", ApiKeys.hash(SENDER_KEY), Set.of(Scope.SEND)))), Scope.READ, tokens);

    @Test
    void anApiKeyWithTheScopeIsAServiceWithoutChannelPatterns() throws Exception {
        MockHttpServletRequest request = withBearer(READER_KEY);

        assertThat(interceptor.preHandle(request, new MockHttpServletResponse(), null)).isTrue();

        assertThat(request.getAttribute(Authentication.SERVICE)).isEqualTo("reader");
        assertThat(request.getAttribute(Authentication.USER)).isNull();
        assertThat(request.getAttribute(Authentication.CHANNELS)).isNull();
    }

    @Test
    void anApiKeyWithoutTheScopeIsForbiddenNotTriedAsAToken() {
        assertRefused(withBearer(SENDER_KEY), HttpStatus.FORBIDDEN, "lacks the scope 'read'");
    }

    @Test
    void aUserTokenIsAUserWithTheChannelPatternsItGrants() throws Exception {
        MockHttpServletRequest request = withBearer(tokens.mint("alice", Duration.ofMinutes(5), List.of("order:*")).token());

        assertThat(interceptor.preHandle(request, new MockHttpServletResponse(), null)).isTrue();

        assertThat(request.getAttribute(Authentication.USER)).isEqualTo("alice");
        assertThat(request.getAttribute(Authentication.CHANNELS)).isEqualTo(List.of("order:*"));
        assertThat(request.getAttribute(Authentication.SERVICE)).isNull();
    }

    @Test
    void aTokenWithoutAChannelsClaimGrantsNoChannel() throws Exception {
        MockHttpServletRequest request = withBearer(tokens.mint("bob", Duration.ofMinutes(5)).token());

        interceptor.preHandle(request, new MockHttpServletResponse(), null);

        assertThat(request.getAttribute(Authentication.CHANNELS)).isEqualTo(List.of());
    }

    @Test
    void neitherAKeyNorAValidTokenIsUnauthorized() {
        assertRefused(new MockHttpServletRequest("GET", "/v1/channels/system/messages"), HttpStatus.UNAUTHORIZED,
                "Authorization: Bearer");
        assertRefused(withBearer("not-a-key"), HttpStatus.UNAUTHORIZED, "neither a valid API key nor a valid user token");
        String expired = new UserTokens("authentication-tests-secret-0123456789abcdef",
                Clock.offset(Clock.systemUTC(), Duration.ofHours(-2))).mint("carol", Duration.ofMinutes(5)).token();
        assertRefused(withBearer(expired), HttpStatus.UNAUTHORIZED, "expired");
    }

    private void assertRefused(MockHttpServletRequest request, HttpStatus status, String detail) {
        assertThatThrownBy(() -> interceptor.preHandle(request, new MockHttpServletResponse(), null))
                .isInstanceOfSatisfying(ApiException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(status);
                    assertThat(ex.getMessage()).contains(detail);
                });
        assertThat(request.getAttribute(Authentication.SERVICE)).isNull();
        assertThat(request.getAttribute(Authentication.USER)).isNull();
    }

    private static MockHttpServletRequest withBearer(String bearer) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/channels/system/messages");
        request.addHeader("Authorization", "Bearer " + bearer);
        return request;
    }
}
