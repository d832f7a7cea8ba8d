package dev.herald.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTests {

    @Test
    void refusedCredentialsAndPermissionsAreFatalEvenWhenWrapped() {
        assertThat(KafkaErrors.isFatal(new SaslAuthenticationException("bad password"))).isTrue();
        assertThat(KafkaErrors.isFatal(new KafkaException("in a callback", new GroupAuthorizationException("no")))).isTrue();
    }

    @Test
    void aSessionTimeoutTheBrokerRefusesIsFatal() {
        assertThat(KafkaErrors.isFatal(new InvalidSessionTimeoutException("below group.min.session.timeout.ms"))).isTrue();
    }

    @Test
    void timeoutsAndOurOwnFailuresAreRetried() {
        assertThat(KafkaErrors.isFatal(new TimeoutException("endOffsets timed out"))).isFalse();
        assertThat(KafkaErrors.isFatal(new KafkaException("User rebalance callback throws an error",
                new TimeoutException("offsets")))).isFalse();
        assertThat(KafkaErrors.isFatal(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void backOffDoublesUpToFiveSeconds() {
        assertThat(KafkaErrors.backoffMillis(1)).isEqualTo(100);
        assertThat(KafkaErrors.backoffMillis(2)).isEqualTo(200);
        assertThat(KafkaErrors.backoffMillis(7)).isEqualTo(5_000);
        assertThat(KafkaErrors.backoffMillis(100)).isEqualTo(5_000);
    }
}
