package dev.herald.store.receipts;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** The tracker's meters, every one registered at start-up (at 0), so dashboards see them before the first alert. */
@Component
@ConditionalOnProperty(name = "herald.store.receipts.enabled", havingValue = "true")
class ReceiptsMetrics {

    /** What became of an alert. */
    enum Outcome {
        /** A watch fell due unanswered. */
        RAISED,
        /** herald.receipt-alerts acknowledged it. */
        PUBLISHED,
        /** The webhook answered 2xx. */
        DELIVERED,
        /** The webhook failed max-attempts times: the delivery is kept as dead-lettered. */
        DEAD_LETTERED
    }

    private final Map<Alert.Kind, Map<Outcome, Counter>> alerts = new EnumMap<>(Alert.Kind.class);
    private final Counter attemptsOk;
    private final Counter attemptsFailed;
    private final Counter watched;
    private final Counter receipts;
    private final Counter receiptsSkipped;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    ReceiptsMetrics(MeterRegistry meters) {
        for (Alert.Kind kind : Alert.Kind.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("herald.store.receipts.alerts")
                        .description("Receipt alerts by kind and what became of them")
                        .tag("kind", kind.wireName()).tag("outcome", outcome.name().toLowerCase())
                        .register(meters));
            }
            alerts.put(kind, byOutcome);
        }
        attemptsOk = Counter.builder("herald.store.receipts.webhook.attempts").tag("result", "success")
                .description("POSTs to the receipts webhook").register(meters);
        attemptsFailed = Counter.builder("herald.store.receipts.webhook.attempts").tag("result", "failure")
                .description("POSTs to the receipts webhook").register(meters);
        watched = Counter.builder("herald.store.receipts.watches.started")
                .description("Notifications the receipt tracker started watching").register(meters);
        receipts = Counter.builder("herald.store.receipts.read")
                .description("Receipts read from herald.receipts").register(meters);
        receiptsSkipped = Counter.builder("herald.store.receipts.skipped")
                .description("Records of herald.receipts that could not be read").register(meters);
        Gauge.builder("herald.store.receipts.watches.pending", pending, AtomicLong::get)
                .description("Notifications whose delivery or seen answer is still pending").register(meters);
        Gauge.builder("herald.store.receipts.webhook.dead-lettered", deadLettered, AtomicLong::get)
                .description("Webhook deliveries given up on, kept in receipt_alert_deliveries").register(meters);
    }

    void alert(Alert.Kind kind, Outcome outcome) {
        alerts.get(kind).get(outcome).increment();
    }

    void attempt(boolean ok) {
        (ok ? attemptsOk : attemptsFailed).increment();
    }

    void watched(int count) {
        watched.increment(count);
    }

    void receiptsRead(int count) {
        receipts.increment(count);
    }

    void receiptSkipped() {
        receiptsSkipped.increment();
    }

    void pending(long count, long dead) {
        pending.set(count);
        deadLettered.set(dead);
    }
}
