package dev.herald.gateway.receipts;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Delivery receipts of push-gateway, on {@code herald.receipts}: {@code delivered} when a
 * notification was handed to at least one session of its user, {@code seen} for each id of a
 * {@code seen} frame. Off by default, so a gateway whose receipts nobody reads (the store's
 * tracker, {@code herald.store.receipts.enabled}) spends nothing on them.
 *
 * @param enabled whether receipts are produced (a {@code seen} frame is accepted, and ignored, either way)
 * @param maxPending receipts waiting for the producer; past it new ones are dropped (and counted),
 *        never waited for
 */
@Validated
@ConfigurationProperties("herald.gateway.receipts")
public record GatewayReceiptsProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("100000") @Min(1) @Max(10_000_000) int maxPending) {
}
