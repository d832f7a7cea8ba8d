package dev.herald.support;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code herald.user-events} and {@code herald.channel-events} are created when missing. The partition count is fixed at
 * creation: changing it later moves users between partitions and invalidates their cursors.
 *
 * @param partitions partitions of {@code herald.user-events} (the unit of gateway ownership)
 * @param channelPartitions partitions of {@code herald.channel-events} (every gateway reads them all)
 * @param replicationFactor replicas of each partition (3 in production, 1 on a single dev broker)
 */
@Validated
@ConfigurationProperties("herald.kafka")
public record HeraldKafkaProperties(
        @DefaultValue("12") @Min(1) @Max(10_000) int partitions,
        @DefaultValue("4") @Min(1) @Max(10_000) int channelPartitions,
        @DefaultValue("1") @Min(1) @Max(32) short replicationFactor) {
}
