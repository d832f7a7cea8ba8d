package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.herald.support.ApiException;

import org.springframework.http.HttpStatus;

class RateLimitsTests {

    private final AtomicLong now = new AtomicLong();
    private final RateLimits limits = new RateLimits(10, 20, now::get);

    @Test
    void allowsABurstThenTheSustainedRate() {
        assertThatCode(() -> limits.acquire("shop", 20)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.acquire("shop", 1))
                .isInstanceOfSatisfying(ApiException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(ex.retryAfter().toSeconds()).isEqualTo(1);
                });
        now.addAndGet(500_000_000L); // half a second: 5 events
        assertThatCode(() -> limits.acquire("shop", 5)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.acquire("shop", 1)).isInstanceOf(ApiException.class);
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        limits.acquire("shop", 20);
        assertThatCode(() -> limits.acquire("billing", 20)).doesNotThrowAnyException();
    }

    @Test
    void aRefusedRequestTakesNothing() {
        limits.acquire("shop", 15);
        assertThatThrownBy(() -> limits.acquire("shop", 10)).isInstanceOf(ApiException.class);
        assertThatCode(() -> limits.acquire("shop", 5)).doesNotThrowAnyException();
    }

    @Test
    void eventsGivenBackCanBeSentAgain() {
        limits.acquire("shop", 20);
        limits.giveBack("shop", 20);
        assertThatCode(() -> limits.acquire("shop", 20)).doesNotThrowAnyException();
    }

    @Test
    void givingBackNeverRaisesABucketAboveItsBurst() {
        limits.acquire("shop", 5);
        now.addAndGet(1_000_000_000L); // a second: 10 events, refilled to the burst
        limits.giveBack("shop", 5);
        assertThatCode(() -> limits.acquire("shop", 20)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.acquire("shop", 1)).isInstanceOf(ApiException.class);
    }

    @Test
    void aRequestLargerThanTheBurstCanNeverFitAndSaysSo() {
        assertThatThrownBy(() -> limits.acquire("shop", 21))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.status())
                        .isEqualTo(HttpStatus.BAD_REQUEST));
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimits unlimited = new RateLimits(0, 1, now::get);
        assertThatCode(() -> unlimited.acquire("shop", 1_000_000)).doesNotThrowAnyException();
    }
}
