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

/**
 * What every Herald service imports: its topics (created at start-up when missing, by whichever
 * service starts first), credentials, and the problem+json error handling.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ HeraldKafkaProperties.class, HeraldSecurityProperties.class })
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
    NewTopic userEventsDeadLetterTopic(HeraldKafkaProperties kafka) {
        return TopicBuilder.name(Topics.USER_EVENTS_DLT).partitions(1).replicas(kafka.replicationFactor()).build();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ApiKeys apiKeys(HeraldSecurityProperties security) {
        return new ApiKeys(security.apiKeys());
    }

    @Bean
    UserTokens userTokens(HeraldSecurityProperties security, Clock clock) {
        return new UserTokens(security.jwtSecret(), clock);
    }
}
