package dev.herald.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class OriginPolicyTests {

    @Test
    void clientsWithoutAnOriginAreNotBrowsersAndAreAllowed() {
        assertThat(new OriginPolicy(List.of(), false).allows(null, "gw:8090")).isTrue();
    }

    @Test
    void withoutAllowedOriginsOnlyTheSameOriginMayConnect() {
        OriginPolicy policy = new OriginPolicy(List.of(), false);

        assertThat(policy.allows("http://gw:8090", "gw:8090")).isTrue();
        assertThat(policy.allows("http://evil.example", "gw:8090")).isFalse();
        assertThat(policy.allows("https://gw:8090", "gw:8090")).isFalse();
        assertThat(new OriginPolicy(List.of(), true).allows("https://gw", "gw")).isTrue();
    }

    @Test
    void theConfiguredOriginsAndPatternsMayConnect() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example.com", "https://*.shop.example"), false);

        assertThat(policy.allows("https://app.example.com", "gw:8090")).isTrue();
        assertThat(policy.allows("https://eu.shop.example", "gw:8090")).isTrue();
        assertThat(policy.allows("https://app.example.com.evil.example", "gw:8090")).isFalse();
        assertThat(policy.allows("http://app.example.com", "gw:8090")).isFalse();
    }

    @Test
    void aStarAllowsEveryOrigin() {
        assertThat(new OriginPolicy(List.of("*"), false).allows("http://localhost:5173", "gw:8090")).isTrue();
    }
}
