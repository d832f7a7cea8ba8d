package dev.herald.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserSessionLimitsTests {

    @Test
    void userMayHoldUpToTheLimitAndAgainAfterOneCloses() {
        UserSessionLimits limits = new UserSessionLimits(2);

        assertThat(limits.acquire("alice")).isTrue();
        assertThat(limits.acquire("alice")).isTrue();
        assertThat(limits.acquire("alice")).isFalse();
        assertThat(limits.acquire("bob")).isTrue();

        limits.release("alice");
        assertThat(limits.acquire("alice")).isTrue();
    }
}
