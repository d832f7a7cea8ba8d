package dev.herald.store.ingest;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.InvalidEventException;
import dev.herald.schema.Topics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code herald.user-events} in batches (group {@code herald-store}) by the rules of
 * {@link BatchListener}, into the inbox ({@link InboxWriter}), dead letters forwarded by
 * {@link DeadLetters}. Each partition is read by one thread, so a user's events are applied in
 * order. Any failure other than a record's own (the database down, or closing while the service
 * shuts down) makes the container retry the batch.
 *
 * <p>The database's position and Kafka's committed offset differ when the database lost its last
 * commits (H2, the local default, writes its file up to 500 ms late; a restored backup), or when the
 * offset commit was lost after the database commit. Either way the records after the database's
 * position are applied, once.
 */
@Component
class UserEventsListener extends BatchListener<PositionedEvent> {

    private final InboxWriter writer;
    private final AppliedPositions positions;
    private final Timer persistTime;

    UserEventsListener(InboxWriter writer, DeadLetters deadLetters, AppliedPositions positions, MeterRegistry registry) {
        super(Topics.USER_EVENTS, "records", "partition", deadLetters,
                Counter.builder("herald.store.events.persisted")
                        .description("Notifications written to the inbox").register(registry),
                Counter.builder("herald.store.events.duplicates")
                        .description("Notifications skipped because their user already had their eventId from their source")
                        .register(registry));
        this.writer = writer;
        this.positions = positions;
        this.persistTime = Timer.builder("herald.store.persist")
                .description("Time to apply one batch of records in one database transaction").register(registry);
    }

    @Override
    @KafkaListener(id = Topics.STORE_GROUP, topics = Topics.USER_EVENTS)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        super.onBatch(records);
    }

    @Override
    PositionedEvent decode(ConsumerRecord<String, byte[]> record) throws InvalidEventException {
        Envelope event = EnvelopeCodec.decode(record.value());
        if (!event.userId().equals(record.key())) {
            throw new InvalidEventException("userId", "does not match the record key");
        }
        return new PositionedEvent(event, record.partition(), record.offset());
    }

    @Override
    Applied apply(List<PositionedEvent> events, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds) {
        return writer.apply(events, deadLetters, batchEnds);
    }

    /** Times the whole-batch transaction; the one-by-one retries are not timed. */
    @Override
    Applied applyBatch(List<PositionedEvent> events, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds) {
        Timer.Sample sample = Timer.start();
        Applied applied = apply(events, deadLetters, batchEnds);
        sample.stop(persistTime);
        return applied;
    }

    @Override
    long appliedOffset(int partition) {
        return positions.current(partition).offset();
    }

    /** Wakes those waiting for a read state to be applied ({@link AppliedPositions#awaitApplied}). */
    @Override
    void committed(Map<Integer, Long> batchEnds) {
        batchEnds.forEach(positions::advanced);
    }
}
