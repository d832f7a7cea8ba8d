package dev.herald.store.system;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Behaviour of notification-store.
 *
 * @param readTimeout how long mark-read waits for its event to be applied (read-your-writes)
 *        before answering 202 instead of 200
 * @param defaultPageSize inbox items per page when the request names no limit
 * @param maxPageSize the largest {@code limit} an inbox request may ask for
 */
@Validated
@ConfigurationProperties("herald.store")
public record StoreProperties(
        @DefaultValue("5s") Duration readTimeout,
        @DefaultValue("50") @Min(1) int defaultPageSize,
        @DefaultValue("200") @Min(1) @Max(1000) int maxPageSize) {
}
