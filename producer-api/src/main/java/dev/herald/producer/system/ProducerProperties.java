package dev.herald.producer.system;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and timeouts of producer-api.
 *
 * @param sendTimeout how long a request waits for Kafka to acknowledge all its records before 503
 * @param maxBodySize the largest request body (413 above it)
 * @param maxRecipients recipients of one notification
 * @param maxBatchEvents events (notifications times recipients) of one batch request
 * @param defaultTokenTtl lifetime of a minted user token when the request names none
 * @param maxTokenTtl the longest lifetime a minted user token may have
 */
@Validated
@ConfigurationProperties("herald.producer")
public record ProducerProperties(
        @DefaultValue("5s") Duration sendTimeout,
        @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxRecipients,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxBatchEvents,
        @DefaultValue("1h") Duration defaultTokenTtl,
        @DefaultValue("24h") Duration maxTokenTtl) {
}
