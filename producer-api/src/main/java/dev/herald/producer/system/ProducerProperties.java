package dev.herald.producer.system;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and timeouts of producer-api.
 *
 * @param sendTimeout how long a request waits for Kafka to acknowledge all its records before 503; the Kafka
 *        producer's own timeouts are derived from it ({@link KafkaTimeouts}), so that Kafka has given up
 *        on a record by the time its 503 is answered
 * @param maxBodySize the largest request body (413 above it)
 * @param maxRecipients recipients of one notification
 * @param maxBatchEvents events (notifications times recipients) of one batch request
 * @param defaultTokenTtl lifetime of a minted user token when the request names none
 * @param maxTokenTtl the longest lifetime a minted user token may have
 * @param maxJsonDepth the deepest nesting of a request body's JSON (400 beyond)
 * @param rateLimit events per second per API key
 */
@Validated
@ConfigurationProperties("herald.producer")
public record ProducerProperties(
        @DefaultValue("5s") Duration sendTimeout,
        @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxRecipients,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int maxBatchEvents,
        @DefaultValue("1h") Duration defaultTokenTtl,
        @DefaultValue("24h") Duration maxTokenTtl,
        @DefaultValue("32") @Min(4) @Max(1000) int maxJsonDepth,
        @DefaultValue RateLimit rateLimit) {

    @AssertTrue(message = "herald.producer.send-timeout must be between 500ms and 10m")
    boolean isSendTimeoutValid() {
        return sendTimeout != null && sendTimeout.compareTo(KafkaTimeouts.MIN_SEND_TIMEOUT) >= 0
                && sendTimeout.compareTo(KafkaTimeouts.MAX_SEND_TIMEOUT) <= 0;
    }

    /** The Kafka producer's bounds that follow from {@link #sendTimeout()}. */
    public KafkaTimeouts kafkaTimeouts() {
        return new KafkaTimeouts(sendTimeout);
    }

    /**
     * @param eventsPerSecond sustained events per second per API key; 0 for no limit
     * @param burst events a key may send at once before the rate applies
     */
    public record RateLimit(
            @DefaultValue("20000") @Min(0) double eventsPerSecond,
            @DefaultValue("40000") @Min(1) double burst) {
    }
}
