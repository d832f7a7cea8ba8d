package dev.herald.store.retention;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the store keeps, enforced by {@link RetentionJob}. Expired notifications and inbox-channel
 * messages ({@code expiresAt}) are always deleted; the two limits below are off unless set.
 *
 * @param maxAge users' own notifications accepted longer ago than this are deleted (e.g. 90d);
 *        null (unset): kept however old
 * @param maxItemsPerUser each user keeps at most this many of their own notifications, the
 *        newest; 0: no limit
 * @param sweepInterval the pause between two runs of the job
 * @param batchSize rows (or, for max-items-per-user, users) per transaction: each batch is one
 *        short transaction, so no lock is held for long
 */
@Validated
@ConfigurationProperties("herald.store.retention")
public record RetentionProperties(
        Duration maxAge,
        @DefaultValue("0") @Min(0) int maxItemsPerUser,
        @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("500") @Min(1) @Max(5000) int batchSize) {

    public RetentionProperties {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("herald.store.retention.max-age must be positive (e.g. 90d), or unset to keep everything");
        }
        if (sweepInterval == null || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("herald.store.retention.sweep-interval must be positive (e.g. 30s)");
        }
    }
}
