package dev.herald.store.receipts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * POSTs the alerts of {@code receipt_alert_deliveries} to {@code herald.store.receipts.webhook.url},
 * signed ({@link WebhookSignature}), with {@code Herald-Delivery} (the same for every attempt). A
 * 2xx answer deletes the delivery; anything else (another status, a timeout, a refused connection)
 * is retried after {@link Backoff}, and after {@code max-attempts} the delivery is dead-lettered:
 * kept with its last error, logged, counted, never sent again by itself. At least once: a receiver
 * that answered 2xx too late may get the same delivery again, and dedupes it by its id.
 *
 * <p>A delivery is claimed before it is sent (its next attempt moved past the request's timeout,
 * only if nobody moved it first), so two store instances do not send it at once.
 */
@Component
@ConditionalOnProperty(name = "herald.store.receipts.enabled", havingValue = "true")
class WebhookSender {

    static final String DELIVERY_HEADER = "Herald-Delivery";
    static final String ATTEMPT_HEADER = "Herald-Attempt";
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private record Delivery(String id, Alert.Kind kind, String payload, int attempts, long nextAttemptMs) {
    }

    private final JdbcTemplate jdbc;
    private final ReceiptsProperties.Webhook settings;
    private final ReceiptsProperties properties;
    private final ReceiptsMetrics metrics;
    private final Backoff backoff;
    private final HttpClient http;

    WebhookSender(JdbcTemplate jdbc, ReceiptsProperties properties, ReceiptsMetrics metrics) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.settings = properties.webhook();
        this.metrics = metrics;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends the deliveries due at {@code nowMs} (one batch, in parallel) and records how each went. */
    void deliverDue(long nowMs) {
        List<Delivery> due = jdbc.query("""
                SELECT delivery_id, kind, payload, attempts, next_attempt_ms FROM receipt_alert_deliveries
                WHERE next_attempt_ms <= ? ORDER BY next_attempt_ms LIMIT ?""",
                (rs, n) -> new Delivery(rs.getString(1), kind(rs.getString(2)), rs.getString(3), rs.getInt(4), rs.getLong(5)),
                nowMs, properties.batchSize());
        long claimUntil = nowMs + settings.timeout().toMillis() * 2 + 1000;
        List<Delivery> claimed = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (Delivery delivery : due) {
            if (jdbc.update("UPDATE receipt_alert_deliveries SET next_attempt_ms = ? WHERE delivery_id = ? AND next_attempt_ms = ?",
                    claimUntil, delivery.id(), delivery.nextAttemptMs()) == 1) {
                claimed.add(delivery);
                results.add(post(delivery, nowMs));
            }
        }
        for (int i = 0; i < claimed.size(); i++) {
            record(claimed.get(i), results.get(i).join(), nowMs);
        }
    }

    /** Completes with null on a 2xx answer, else with what went wrong. */
    private CompletableFuture<String> post(Delivery delivery, long nowMs) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(settings.url()))
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "herald-notification-store")
                    .header(WebhookSignature.HEADER, WebhookSignature.header(settings.secret(), nowMs / 1000, delivery.payload()))
                    .header(DELIVERY_HEADER, delivery.id())
                    .header(ATTEMPT_HEADER, Integer.toString(delivery.attempts() + 1))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                    .build();
        }
        catch (RuntimeException ex) {
            return CompletableFuture.completedFuture(ex.toString());
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(response -> response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode())
                .exceptionally(ex -> {
                    Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                });
    }

    private void record(Delivery delivery, String error, long nowMs) {
        metrics.attempt(error == null);
        if (error == null) {
            jdbc.update("DELETE FROM receipt_alert_deliveries WHERE delivery_id = ?", delivery.id());
            metrics.alert(delivery.kind(), ReceiptsMetrics.Outcome.DELIVERED);
            return;
        }
        int attempts = delivery.attempts() + 1;
        String lastError = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        if (attempts >= settings.maxAttempts()) {
            jdbc.update("""
                    UPDATE receipt_alert_deliveries SET attempts = ?, next_attempt_ms = NULL, dead_at_ms = ?, last_error = ?
                    WHERE delivery_id = ?""", attempts, nowMs, lastError, delivery.id());
            metrics.alert(delivery.kind(), ReceiptsMetrics.Outcome.DEAD_LETTERED);
            log.warn("Receipt alert delivery {} dead-lettered after {} attempts (last: {}); it is kept in receipt_alert_deliveries",
                    delivery.id(), attempts, lastError);
            return;
        }
        long next = nowMs + backoff.after(attempts).toMillis();
        jdbc.update("UPDATE receipt_alert_deliveries SET attempts = ?, next_attempt_ms = ?, last_error = ? WHERE delivery_id = ?",
                attempts, next, lastError, delivery.id());
        log.info("Receipt alert delivery {} failed (attempt {} of {}: {}); next attempt in {} ms", delivery.id(), attempts,
                settings.maxAttempts(), lastError, next - nowMs);
    }

    long deadLettered() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM receipt_alert_deliveries WHERE dead_at_ms IS NOT NULL", Long.class);
        return count == null ? 0 : count;
    }

    private static Alert.Kind kind(String wireName) {
        return wireName.equals(Alert.Kind.UNSEEN.wireName()) ? Alert.Kind.UNSEEN : Alert.Kind.NOT_DELIVERED;
    }
}
