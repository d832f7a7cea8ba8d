package dev.herald.store.receipts;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.schema.Topics;
import dev.herald.support.ConsumerLagMetrics;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The tracker's lag on both of its topics, as herald_consumer_lag{group="herald-store-receipts"}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "herald.store.receipts.enabled", havingValue = "true")
class ReceiptsConfiguration {

    @Bean
    ConsumerLagMetrics receiptsEventsLagMetrics(KafkaAdmin kafkaAdmin, MeterRegistry registry) {
        return new ConsumerLagMetrics(kafkaAdmin, registry, Topics.STORE_RECEIPTS_GROUP, Topics.USER_EVENTS, Duration.ofSeconds(10));
    }

    @Bean
    ConsumerLagMetrics receiptsLagMetrics(KafkaAdmin kafkaAdmin, MeterRegistry registry) {
        return new ConsumerLagMetrics(kafkaAdmin, registry, Topics.STORE_RECEIPTS_GROUP, Topics.RECEIPTS, Duration.ofSeconds(10));
    }
}
