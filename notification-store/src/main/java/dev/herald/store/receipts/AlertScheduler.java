package dev.herald.store.receipts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.Topics;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every {@code poll-interval}, on one thread of its own: raises the alerts of the watches that fell
 * due unanswered, then hands due webhook deliveries to {@link WebhookSender}. Raising is one
 * transaction per batch: each watch is resolved (deleted, or updated to its next due time) only if
 * it is still as it was read, the alerts are published to {@code herald.receipt-alerts} and
 * acknowledged, and the webhook deliveries are inserted; if Kafka or the database fails, nothing of
 * it is committed and the same watches are due again next round (at least once: a receiver
 * dedupes by {@code deliveryId}).
 */
@Component
@ConditionalOnProperty(name = "herald.store.receipts.enabled", havingValue = "true")
class AlertScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertScheduler.class);
    /** Rounds of one batch each per tick, so a backlog is worked off without starving the webhook. */
    private static final int MAX_ROUNDS = 10;
    private static final long HOUSEKEEPING_EVERY_MS = 5_000;

    private final Watches watches;
    private final WebhookSender webhook;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ReceiptsProperties properties;
    private final ReceiptsMetrics metrics;
    private final Clock clock;
    private ScheduledExecutorService executor;
    private long lastHousekeepingMs;

    AlertScheduler(Watches watches, WebhookSender webhook, JdbcTemplate jdbc, TransactionTemplate transactions,
            KafkaTemplate<String, byte[]> kafka, ReceiptsProperties properties, ReceiptsMetrics metrics, Clock clock) {
        this.watches = watches;
        this.webhook = webhook;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "herald-receipt-alerts"));
        long every = properties.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        log.info("Receipt tracker on: not_delivered after {}, unseen after {}, alerts to {}{}",
                off(properties.undeliveredAfter().toMillis()), off(properties.unseenAfter().toMillis()),
                properties.alertsTopic() ? Topics.RECEIPT_ALERTS : "",
                properties.webhook().configured() ? (properties.alertsTopic() ? " and " : "") + properties.webhook().url() : "");
    }

    private static String off(long millis) {
        return millis == 0 ? "(off)" : millis + " ms";
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(properties.webhook().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    void tick() {
        try {
            long now = clock.millis();
            for (int round = 0; round < MAX_ROUNDS; round++) {
                List<Watches.Watch> due = watches.due(now, properties.batchSize());
                if (!due.isEmpty()) {
                    List<Alert> raised = transactions.execute(status -> raise(due, now));
                    for (Alert alert : raised) {
                        metrics.alert(alert.kind(), ReceiptsMetrics.Outcome.RAISED);
                        if (properties.alertsTopic()) {
                            metrics.alert(alert.kind(), ReceiptsMetrics.Outcome.PUBLISHED);
                        }
                    }
                }
                if (due.size() < properties.batchSize()) {
                    break;
                }
            }
            if (properties.webhook().configured()) {
                webhook.deliverDue(now);
            }
            if (now - lastHousekeepingMs >= HOUSEKEEPING_EVERY_MS) {
                lastHousekeepingMs = now;
                watches.expireMarks(now, 10_000);
                metrics.pending(watches.pending(), webhook.deadLettered());
            }
        }
        catch (RuntimeException ex) {
            log.warn("Receipt alerts could not be raised or delivered this round; trying again in {} ms: {}",
                    properties.pollInterval().toMillis(), ex.toString());
        }
    }

    /** The alerts raised and (when the topic is on) published, once the caller's transaction commits. */
    private List<Alert> raise(List<Watches.Watch> due, long now) {
        var marks = watches.marksOf(due);
        List<Alert> alerts = new ArrayList<>();
        List<Watches.Watch> answered = new ArrayList<>();
        for (Watches.Watch watch : due) {
            Long delivered = watch.deliveredAtMs();
            Long seen = null;
            for (Watches.Mark mark : marks.getOrDefault(Watches.key(watch.userId(), watch.eventId()), List.of())) {
                if (mark.kind().equals(Watches.Mark.SEEN)) {
                    seen = mark.atMs();
                }
                else if (delivered == null || mark.atMs() < delivered) {
                    delivered = mark.atMs();
                }
            }
            Long undeliveredDue = watch.undeliveredDueMs();
            Long unseenDue = watch.unseenDueMs();
            List<Alert> raised = new ArrayList<>(2);
            if (seen != null) {
                // Seen means delivered too: both questions are answered.
                undeliveredDue = null;
                unseenDue = null;
            }
            if (undeliveredDue != null && delivered != null) {
                undeliveredDue = null;
            }
            else if (undeliveredDue != null && undeliveredDue <= now) {
                raised.add(alert(Alert.Kind.NOT_DELIVERED, watch, null, undeliveredDue, now));
                undeliveredDue = null;
            }
            if (unseenDue != null && unseenDue <= now) {
                raised.add(alert(Alert.Kind.UNSEEN, watch, delivered, unseenDue, now));
                unseenDue = null;
            }
            if (watches.resolve(watch, delivered, undeliveredDue, unseenDue)) {
                alerts.addAll(raised);
                if (undeliveredDue == null && unseenDue == null) {
                    answered.add(watch);
                }
            }
        }
        // Their receipts are of no further use: gone with them, so the marks table holds little
        // more than the receipts of pending watches (the rest expire).
        watches.forgetMarks(answered);
        if (alerts.isEmpty()) {
            return alerts;
        }
        if (properties.alertsTopic()) {
            publish(alerts);
        }
        if (properties.webhook().configured()) {
            jdbc.batchUpdate("""
                    INSERT IGNORE INTO receipt_alert_deliveries (delivery_id, kind, user_id, event_id, payload, attempts,
                        next_attempt_ms, created_at_ms)
                    VALUES (?, ?, ?, ?, ?, 0, ?, ?)""", alerts, alerts.size(), (ps, alert) -> {
                ps.setString(1, alert.deliveryId());
                ps.setString(2, alert.kind().wireName());
                ps.setString(3, alert.userId());
                ps.setString(4, alert.eventId());
                ps.setString(5, alert.json());
                ps.setLong(6, now);
                ps.setLong(7, now);
            });
        }
        log.debug("Raised {} receipt alerts", alerts.size());
        return alerts;
    }

    /** Publishes and waits for every acknowledgement: a failure rolls the round back. */
    private void publish(List<Alert> alerts) {
        List<CompletableFuture<?>> sent = new ArrayList<>(alerts.size());
        for (Alert alert : alerts) {
            sent.add(kafka.send(Topics.RECEIPT_ALERTS, alert.userId(), alert.json().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(Topics.RECEIPT_ALERTS + " did not acknowledge the alerts: " + ex, ex);
        }
    }

    private static Alert alert(Alert.Kind kind, Watches.Watch watch, Long deliveredAtMs, long dueMs, long nowMs) {
        return new Alert(Alert.deliveryIdOf(kind, watch.userId(), watch.source(), watch.eventId()), kind, watch.userId(),
                watch.eventId(), watch.source(), watch.type(), watch.title(), Instant.ofEpochMilli(watch.acceptedAtMs()),
                deliveredAtMs == null ? null : Instant.ofEpochMilli(deliveredAtMs), Instant.ofEpochMilli(dueMs),
                Instant.ofEpochMilli(nowMs));
    }
}
