package dev.herald.store.receipts;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.EventKind;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;
import dev.herald.schema.Topics;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tracker's consumer (group {@code herald-store-receipts}): notifications of
 * {@code herald.user-events} start watches, reads answer them, and the receipts of
 * {@code herald.receipts} are kept for the watches to read when they fall due. A user's events are
 * applied in their order (a read-all answers only what came before it), each batch in one
 * transaction with the partitions' positions, so a batch read again after a crash changes nothing.
 * A failure (the database down) makes the container retry the batch; a record that cannot be read
 * is skipped: the inbox consumer dead-letters bad events, and a bad receipt only loses its answer,
 * which errs towards an alert.
 */
@Component
@ConditionalOnProperty(name = "herald.store.receipts.enabled", havingValue = "true")
class ReceiptsListener {

    private static final Logger log = LoggerFactory.getLogger(ReceiptsListener.class);

    private final Watches watches;
    private final TransactionTemplate transactions;
    private final ReceiptsProperties properties;
    private final ReceiptsMetrics metrics;
    private final Clock clock;

    ReceiptsListener(Watches watches, TransactionTemplate transactions, ReceiptsProperties properties,
            ReceiptsMetrics metrics, Clock clock) {
        this.watches = watches;
        this.transactions = transactions;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    // autoStartup: this listener runs whenever the tracker is enabled, also in a store whose other
    // listeners are not started (spring.kafka.listener.auto-startup=false).
    @KafkaListener(id = Topics.STORE_RECEIPTS_GROUP, topics = { Topics.USER_EVENTS, Topics.RECEIPTS }, autoStartup = "true")
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        transactions.executeWithoutResult(status -> apply(records));
    }

    private void apply(List<ConsumerRecord<String, byte[]>> records) {
        long now = clock.millis();
        long oldest = now - properties.catchUpWindow().toMillis();
        Map<Integer, Long> ends = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.topic().equals(Topics.USER_EVENTS)) {
                ends.merge(record.partition(), record.offset(), Math::max);
            }
        }
        Map<Integer, Long> applied = ends.isEmpty() ? Map.of() : watches.positions(ends.keySet());
        Run run = new Run();
        List<Watches.Mark> marks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.topic().equals(Topics.RECEIPTS)) {
                Receipt receipt = receipt(record);
                if (receipt != null && receipt.at().toEpochMilli() >= oldest) {
                    marks.add(new Watches.Mark(receipt.userId(), receipt.eventId(), receipt.kind().wireName(),
                            receipt.at().toEpochMilli()));
                }
            }
            else if (record.offset() > applied.getOrDefault(record.partition(), -1L)) {
                Envelope event = event(record);
                if (event != null) {
                    run.add(event, oldest);
                }
            }
        }
        run.flush();
        watches.mark(marks, now + properties.longestWindow().toMillis() + properties.catchUpWindow().toMillis());
        ends.forEach(watches::advance);
        metrics.receiptsRead(marks.size());
    }

    /** Consecutive notifications are inserted in one batch; a read is applied after what precedes it. */
    private final class Run {

        private final List<Envelope> notifications = new ArrayList<>();

        void add(Envelope event, long oldestMs) {
            if (event.kind() == EventKind.NOTIFICATION) {
                if (event.acceptedAt().toEpochMilli() >= oldestMs) {
                    notifications.add(event);
                }
                return;
            }
            if (event.channel() != null) {
                return; // inbox-channel messages are not watched
            }
            flush();
            // The kinds that mean "the user saw it": read, and the inbox's seen state (archive does not).
            if (event.kind() == EventKind.READ || event.kind() == EventKind.SEEN) {
                watches.read(event.userId(), event.refs());
            }
            else if (event.kind() == EventKind.READ_ALL || event.kind() == EventKind.SEEN_ALL) {
                watches.readAll(event.userId());
            }
        }

        void flush() {
            watches.watch(notifications, properties.undeliveredAfter().toMillis(), properties.unseenAfter().toMillis());
            metrics.watched(notifications.size());
            notifications.clear();
        }
    }

    private static Envelope event(ConsumerRecord<String, byte[]> record) {
        try {
            Envelope event = EnvelopeCodec.decode(record.value());
            return event.userId().equals(record.key()) ? event : null;
        }
        catch (RuntimeException ex) {
            return null; // the inbox consumer dead-letters it
        }
    }

    private Receipt receipt(ConsumerRecord<String, byte[]> record) {
        try {
            Receipt receipt = ReceiptCodec.decode(record.value());
            if (receipt.userId().equals(record.key())) {
                return receipt;
            }
            log.warn("Skipping receipt {}-{}: its userId does not match the record key", record.partition(), record.offset());
        }
        catch (RuntimeException ex) {
            log.warn("Skipping receipt {}-{}: {}", record.partition(), record.offset(), ex.getMessage());
        }
        metrics.receiptSkipped();
        return null;
    }
}
