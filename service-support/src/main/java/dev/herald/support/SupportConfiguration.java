package dev.herald.support;

import java.time.Clock;

import org.apache.kafka.clients.admin.NewTopic;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.UserTokens;
import dev.herald.schema.Topics;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What every Herald service imports: its topics (created at start-up when missing, by whichever
 * service starts first), credentials, CORS for browser pages, the {@code kafka} health indicator
 * and the problem+json error handling.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ HeraldKafkaProperties.class, HeraldSecurityProperties.class, HeraldWebProperties.class,
        HeraldChannelProperties.class })
@Import(ProblemAdvice.class)
public class SupportConfiguration {

    @Bean
    NewTopic userEventsTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.USER_EVENTS)
                .partitions(kafka.partitions())
                .replicas(kafka.replicationFactor())
                .build();
    }

    @Bean
    NewTopic channelEventsTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.CHANNEL_EVENTS)
                .partitions(kafka.channelPartitions())
                .replicas(kafka.replicationFactor())
                .build();
    }

    /** Delivery receipts: partitioned like herald.user-events, so a user's receipts share its partition number. */
    @Bean
    NewTopic receiptsTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.RECEIPTS)
                .partitions(kafka.partitions())
                .replicas(kafka.replicationFactor())
                .build();
    }

    @Bean
    NewTopic receiptAlertsTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.RECEIPT_ALERTS)
                .partitions(kafka.partitions())
                .replicas(kafka.replicationFactor())
                .build();
    }

    /** Compacted: the latest preference set of each user, partitioned exactly as the users' events. */
    @Bean
    NewTopic preferencesTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.PREFERENCES)
                .partitions(kafka.partitions())
                .replicas(kafka.replicationFactor())
                .compact()
                .build();
    }

    @Bean
    NewTopic userEventsDeadLetterTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.USER_EVENTS_DLT).partitions(1).replicas(kafka.replicationFactor()).build();
    }

    @Bean
    NewTopic channelEventsDeadLetterTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.CHANNEL_EVENTS_DLT).partitions(1).replicas(kafka.replicationFactor()).build();
    }

    @Bean
    TopicLayout userEventsLayout(KafkaAdmin kafkaAdmin) {
        return new TopicLayout(kafkaAdmin);
    }

    @Bean
    KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin) {
        return new KafkaHealthIndicator(kafkaAdmin);
    }

    /** Pages of the configured origins may call the REST APIs from the browser. */
    @Bean
    WebMvcConfigurer corsConfigurer(HeraldWebProperties web) {
        return new WebMvcConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                if (!web.allowedOrigins().isEmpty()) {
                    registry.addMapping("/v1/**")
                            .allowedOrigins(web.allowedOrigins().toArray(String[]::new))
                            .allowedMethods("GET", "POST", "PUT")
                            .allowedHeaders("Authorization", "Content-Type", "Idempotency-Key")
                            .exposedHeaders("Retry-After")
                            .maxAge(3600);
                }
            }
        };
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ApiKeys apiKeys(HeraldSecurityProperties security) {
        try {
            return security.keys();
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("API keys are misconfigured (herald.security.api-keys): " + ex.getMessage(), ex);
        }
    }

    @Bean
    UserTokens userTokens(HeraldSecurityProperties security, Clock clock) {
        try {
            return new UserTokens(security.userTokens(), clock);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException("User tokens are misconfigured (herald.security.jwt-*): " + ex.getMessage(), ex);
        }
    }
}
