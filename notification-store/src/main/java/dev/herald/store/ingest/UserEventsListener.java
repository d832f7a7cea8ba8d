package dev.herald.store.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code herald.user-events} in batches (group {@code herald-store}). Each partition is read
 * by one thread, so a user's events are applied in order. Offsets are committed by the container
 * after this method returns, that is after the database commit. A record the database refuses for
 * what it holds (a {@link DataIntegrityViolationException}) goes to the DLT and consumption goes on;
 * any other failure (the database down, or closing while the service shuts down) makes the
 * container retry the batch with back-off, never skip or dead-letter it.
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
                .description("Notifications skipped because their eventId was already stored").register(registry);
        this.persistTime = Timer.builder("herald.store.persist")
                .description("Time to apply one batch of records in one database transaction").register(registry);
    }

    @KafkaListener(id = Topics.STORE_GROUP, topics = Topics.USER_EVENTS)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, Long> batchEnds = new HashMap<>();
        List<PositionedEvent> events = new ArrayList<>(records.size());
        Map<PositionedEvent, ConsumerRecord<String, byte[]>> origins = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            batchEnds.merge(record.partition(), record.offset(), Math::max);
            try {
                Envelope event = EnvelopeCodec.decode(record.value());
                if (!event.userId().equals(record.key())) {
                    throw new InvalidEventException("userId", "does not match the record key");
                }
                PositionedEvent positioned = new PositionedEvent(event, record.partition(), record.offset());
                events.add(positioned);
                origins.put(positioned, record);
            }
            catch (InvalidEventException ex) {
                deadLetters.send(record, ex.getMessage());
            }
        }
        try {
            Timer.Sample sample = Timer.start();
            count(writer.apply(events, batchEnds));
            sample.stop(persistTime);
        }
        catch (DataIntegrityViolationException ex) {
            // Some record breaks a database rule: find it by applying one at a time.
            log.warn("A batch of {} records failed ({}); applying them one by one", records.size(), ex.getMessage());
            for (PositionedEvent event : events) {
                applyAlone(event, origins.get(event));
            }
            writer.apply(List.of(), batchEnds);
        }
        batchEnds.forEach(positions::advanced);
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
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

    private void count(InboxWriter.Applied applied) {
        persisted.increment(applied.inserted());
        duplicates.increment(applied.duplicates());
    }

    private void applyAlone(PositionedEvent event, ConsumerRecord<String, byte[]> record) {
        try {
            count(writer.apply(List.of(event), Map.of(event.partition(), event.offset())));
        }
        catch (DataIntegrityViolationException ex) {
            deadLetters.send(record, "the store refused it: " + ex.getMostSpecificCause().getMessage());
            writer.apply(List.of(), Map.of(event.partition(), event.offset()));
        }
    }
}
