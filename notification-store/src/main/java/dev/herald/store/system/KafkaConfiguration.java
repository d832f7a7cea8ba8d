package dev.herald.store.system;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.schema.Topics;
import dev.herald.support.ConsumerLagMetrics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** How the inbox consumer deals with failures it cannot route to the DLT itself, and reports its lag. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    ConsumerLagMetrics consumerLagMetrics(KafkaAdmin kafkaAdmin, MeterRegistry registry) {
        return new ConsumerLagMetrics(kafkaAdmin, registry, Topics.STORE_GROUP, Topics.USER_EVENTS, Duration.ofSeconds(10));
    }

    @Bean
    ConsumerLagMetrics channelConsumerLagMetrics(KafkaAdmin kafkaAdmin, MeterRegistry registry) {
        return new ConsumerLagMetrics(kafkaAdmin, registry, Topics.STORE_CHANNELS_GROUP, Topics.CHANNEL_EVENTS,
                Duration.ofSeconds(10));
    }

    /**
     * A failure that reaches the container (the database or the DLT is unreachable) is transient by
     * nature: retry the batch with back-off up to 2 s apart, for as long as it takes. Skipping it
     * would lose accepted events. 2 s, not more: the store resumes at most that long after the
     * database is back (measured, a 20 s outage at 50 notifications/s: caught up 8.7 s after the
     * database's return with 10 s apart).
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(2_000);
        return new DefaultErrorHandler(backOff);
    }
}
