package dev.herald.store.ingest;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Topics;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes each applied preference set to the compacted {@code herald.preferences}, after the
 * transaction that applied it committed (never a set the inbox does not have), to the partition of
 * the event that set it: partition p of herald.preferences holds the users of partition p of
 * herald.user-events. Gateways read it when they take a partition, for the sets of users whose
 * events before their warm-up they do not read.
 *
 * <p>A send that fails is logged and counted, not retried: the inbox has the set, and gateways that
 * own the partition learn it from the event itself; a gateway that takes the partition later sees
 * the previous set until the user's next change (herald.store.preferences.publish.failed).
 */
@Component
class PreferencesPublisher {

    private static final Logger log = LoggerFactory.getLogger(PreferencesPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter failed;

    PreferencesPublisher(KafkaTemplate<String, byte[]> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.failed = Counter.builder("herald.store.preferences.publish.failed")
                .description("Preference sets applied to the inbox that could not be published to herald.preferences")
                .register(registry);
    }

    /** Publishes the sets once the current transaction commits. */
    void afterCommit(List<Published> sets) {
        if (sets.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            // Outside a transaction (the H2 tests drive the writer without one) each write is committed already.
            sets.forEach(this::send);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                sets.forEach(PreferencesPublisher.this::send);
            }
        });
    }

    void send(Published set) {
        PreferenceSnapshot snapshot = set.snapshot();
        kafka.send(new ProducerRecord<>(Topics.PREFERENCES, set.partition(), snapshot.userId(), snapshot.encode()))
                .whenComplete((result, ex) -> {
                    if (ex != null) {
                        failed.increment();
                        log.warn("Could not publish the preferences of a user of partition {} (offset {}): {}",
                                set.partition(), snapshot.offset(), ex.toString());
                    }
                });
    }

    /** A set applied from the event at {@code snapshot.offset()} of {@code partition}. */
    record Published(int partition, PreferenceSnapshot snapshot) {
    }
}
