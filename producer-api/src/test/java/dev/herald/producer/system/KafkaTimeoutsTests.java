package dev.herald.producer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;

class KafkaTimeoutsTests {

    @Test
    void kafkaReportsOnEveryRecordWithinTheSendTimeout() {
        for (Duration sendTimeout : new Duration[] { Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(10) }) {
            KafkaTimeouts timeouts = new KafkaTimeouts(sendTimeout);
            // The last record is handed over at the window's end, blocks max.block.ms, then has delivery.timeout.ms.
            assertThat(timeouts.handOver().plus(timeouts.maxBlock()).plus(timeouts.deliveryTimeout()))
                    .as("for %s", sendTimeout).isLessThanOrEqualTo(sendTimeout);
            assertThat(timeouts.verdictWait()).isGreaterThan(sendTimeout);
        }
    }

    @Test
    void derivesTheProducerSettingsOfTheDefaultSendTimeout() {
        KafkaTimeouts timeouts = new KafkaTimeouts(Duration.ofSeconds(5));

        assertThat(timeouts.handOver()).isEqualTo(Duration.ofSeconds(1));
        assertThat(timeouts.producerConfigs(2)).isEqualTo(Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000L,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 2998));
    }

    @Test
    void kafkaAcceptsTheDerivedSettings() {
        // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms when a producer is built.
        Map<String, Object> config = new HashMap<>(new KafkaTimeouts(Duration.ofMillis(500)).producerConfigs(150));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 150);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            assertThat(producer.metrics()).isNotEmpty();
        }
    }

    @Test
    void refusesALingerThatLeavesKafkaTooLittleTimeAndSaysWhatToChange() {
        KafkaTimeouts timeouts = new KafkaTimeouts(Duration.ofSeconds(1));

        assertThatThrownBy(() -> timeouts.producerConfigs(301))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("linger.ms (301 ms)")
                .hasMessageContaining("lower linger.ms or raise herald.producer.send-timeout");
    }

    @Test
    void refusesASendTimeoutOutsideItsRange() {
        assertThatThrownBy(() -> new KafkaTimeouts(Duration.ofMillis(499))).hasMessageContaining("herald.producer.send-timeout");
        assertThatThrownBy(() -> new KafkaTimeouts(Duration.ofMinutes(11))).hasMessageContaining("herald.producer.send-timeout");
        assertThat(properties(Duration.ofMillis(100)).isSendTimeoutValid()).isFalse();
        assertThat(properties(Duration.ofSeconds(5)).isSendTimeoutValid()).isTrue();
    }

    @Test
    void readsLingerAsTheProducerConfigurationHasIt() {
        assertThat(KafkaTimeouts.lingerMs(Map.of(ProducerConfig.LINGER_MS_CONFIG, "2"))).isEqualTo(2);
        assertThat(KafkaTimeouts.lingerMs(Map.of(ProducerConfig.LINGER_MS_CONFIG, 7))).isEqualTo(7);
        assertThat(KafkaTimeouts.lingerMs(Map.of())).isEqualTo(5); // Kafka 4's default
    }

    @Test
    void theDerivedSettingsReplaceTheSharedConfigurations() {
        Map<String, Object> shared = Map.of(
                ProducerConfig.LINGER_MS_CONFIG, "2",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        DefaultKafkaProducerFactory<String, String> factory = new DefaultKafkaProducerFactory<>(shared);

        new KafkaProducerConfiguration().timeoutsFromSendTimeout(properties(Duration.ofSeconds(1))).customize(factory);

        assertThat(factory.getConfigurationProperties())
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200L)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 598);
    }

    private static ProducerProperties properties(Duration sendTimeout) {
        return new ProducerProperties(sendTimeout, null, 1000, 10000, Duration.ofHours(1), Duration.ofHours(24), 32,
                new ProducerProperties.RateLimit(20000, 40000));
    }
}
