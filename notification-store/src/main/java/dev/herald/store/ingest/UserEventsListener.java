package dev.herald.store.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.InvalidEventException;
import dev.herald.schema.Topics;

import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerPartitionIdleEvent;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code herald.user-events} in batches (group {@code herald-store}). Each partition is read
 * by one thread, so a user's events are applied in order. Offsets are committed by the container
 * after this method returns, that is after the database commit. A record that cannot be applied
 * (invalid, or refused by the database for what it holds: a {@link DataIntegrityViolationException})
 * is recorded as a dead letter in the transaction that moves the position past it, and forwarded to
 * the DLT after the commit ({@link DeadLetters}); consumption goes on. Any other failure (the
 * database down, or closing while the service shuts down) makes the container retry the batch with
 * back-off, never skip it, and dead-letters nothing: the retried batch decides again, in the
 * transaction that succeeds.
 *
 * <p>Each assigned partition resumes after the last record the database holds, not after Kafka's
 * committed offset. The two differ when the database lost its last commits (H2, the local default,
 * writes its file up to 500 ms late; a restored backup), or when the offset commit was lost after the
 * database commit. Either way the records after the database's position are applied, once.
 */
@Component
class UserEventsListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(UserEventsListener.class);

    private final InboxWriter writer;
    private final DeadLetters deadLetters;
    private final AppliedPositions positions;
    private final Counter persisted;
    private final Counter duplicates;
    private final Timer persistTime;

    UserEventsListener(InboxWriter writer, DeadLetters deadLetters, AppliedPositions positions, MeterRegistry registry) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.positions = positions;
        this.persisted = Counter.builder("herald.store.events.persisted")
                .description("Notifications written to the inbox").register(registry);
        this.duplicates = Counter.builder("herald.store.events.duplicates")
                .description("Notifications skipped because their user already had their eventId from their source")
                .register(registry);
        this.persistTime = Timer.builder("herald.store.persist")
                .description("Time to apply one batch of records in one database transaction").register(registry);
    }

    @KafkaListener(id = Topics.STORE_GROUP, topics = Topics.USER_EVENTS)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, Long> batchEnds = new HashMap<>();
        List<Decoded> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            batchEnds.merge(record.partition(), record.offset(), Math::max);
            decoded.add(Decoded.of(record));
        }
        List<PositionedEvent> events = decoded.stream().map(Decoded::event).filter(Objects::nonNull).toList();
        List<DeadLetter> invalid = decoded.stream().map(Decoded::deadLetter).filter(Objects::nonNull).toList();
        try {
            Timer.Sample sample = Timer.start();
            count(writer.apply(events, invalid, batchEnds));
            sample.stop(persistTime);
            deadLetters.mayHaveRows(invalid.stream().map(DeadLetter::partition).distinct().toList());
        }
        catch (DataIntegrityViolationException ex) {
            // Some record breaks a database rule: find it by applying one record at a time. Any of
            // them may be dead-lettered, and what is recorded is forwarded even if a later record
            // fails this batch and it is retried.
            log.warn("A batch of {} records failed ({}); applying them one by one", records.size(), ex.getMessage());
            deadLetters.mayHaveRows(batchEnds.keySet());
            decoded.forEach(this::applyAlone);
        }
        batchEnds.forEach(positions::advanced);
        deadLetters.forward(batchEnds.keySet());
    }

    /** A partition without records for a while: forward the dead letters an unreachable DLT left. */
    @EventListener
    void onIdle(ListenerContainerPartitionIdleEvent event) {
        if (event.getTopicPartition().topic().equals(Topics.USER_EVENTS)) {
            // Published on the consumer thread that owns the partition, like its batches.
            deadLetters.forward(List.of(event.getTopicPartition().partition()));
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        // A previous owner, or this store before a restart, may have left dead letters unforwarded.
        deadLetters.mayHaveRows(assignments.keySet().stream().map(TopicPartition::partition).toList());
        for (TopicPartition partition : assignments.keySet()) {
            long applied;
            try {
                applied = positions.current(partition.partition()).offset();
            }
            catch (DataAccessException ex) {
                // The batches will wait for the database anyway (retried with back-off).
                log.warn("Could not read the applied position of partition {} ({}); it resumes from the group's committed offset",
                        partition.partition(), ex.getMessage());
                continue;
            }
            if (applied >= 0) {
                callback.seek(partition.topic(), partition.partition(), applied + 1);
            }
        }
    }

    private void count(Applied applied) {
        persisted.increment(applied.inserted());
        duplicates.increment(applied.duplicates());
    }

    /** Applies one record in its own transaction, which moves the position to it. */
    private void applyAlone(Decoded record) {
        Map<Integer, Long> upTo = Map.of(record.record().partition(), record.record().offset());
        if (record.event() == null) {
            writer.apply(List.of(), List.of(record.deadLetter()), upTo);
            return;
        }
        try {
            count(writer.apply(List.of(record.event()), List.of(), upTo));
        }
        catch (DataIntegrityViolationException ex) {
            // Its rows were rolled back; it is dead-lettered in the transaction that moves the position past it.
            DeadLetter refused = DeadLetter.of(record.record(), "the store refused it: " + ex.getMostSpecificCause().getMessage());
            writer.apply(List.of(), List.of(refused), upTo);
        }
    }

    /** A record of a batch: the event it holds, or, when it holds none, its dead letter. */
    private record Decoded(ConsumerRecord<String, byte[]> record, PositionedEvent event, DeadLetter deadLetter) {

        static Decoded of(ConsumerRecord<String, byte[]> record) {
            try {
                Envelope event = EnvelopeCodec.decode(record.value());
                if (!event.userId().equals(record.key())) {
                    throw new InvalidEventException("userId", "does not match the record key");
                }
                return new Decoded(record, new PositionedEvent(event, record.partition(), record.offset()), null);
            }
            catch (InvalidEventException ex) {
                return new Decoded(record, null, DeadLetter.of(record, ex.getMessage()));
            }
        }
    }
}
