package dev.herald.producer.system;

import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * producer-api's Kafka producer keeps to {@code herald.producer.send-timeout}: its
 * {@code max.block.ms}, {@code delivery.timeout.ms} and {@code request.timeout.ms} are derived from
 * it ({@link KafkaTimeouts}) and replace whatever the shared configuration sets.
 */
@Configuration(proxyBeanMethods = false)
class KafkaProducerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaProducerConfiguration.class);

    @Bean
    DefaultKafkaProducerFactoryCustomizer timeoutsFromSendTimeout(ProducerProperties properties) {
        KafkaTimeouts timeouts = properties.kafkaTimeouts();
        return factory -> {
            Map<String, Object> derived = timeouts.producerConfigs(KafkaTimeouts.lingerMs(factory.getConfigurationProperties()));
            factory.updateConfigs(derived);
            log.info("Kafka producer bounds from herald.producer.send-timeout={}ms: {}", timeouts.sendTimeout().toMillis(), new TreeMap<>(derived));
        };
    }
}
