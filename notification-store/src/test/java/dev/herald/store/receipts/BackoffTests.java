package dev.herald.store.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test
    void doublesFromTheInitialWaitUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.after(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(100)).as("no overflow").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aMaximumBelowADoublingCapsIt() {
        Backoff backoff = new Backoff(Duration.ofMillis(300), Duration.ofMillis(1000));

        assertThat(backoff.after(2)).isEqualTo(Duration.ofMillis(600));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofMillis(1000));
    }
}
