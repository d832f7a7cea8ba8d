package dev.herald.store.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
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
 * Consumes {@code herald.channel-events} into the channel history, in batches, in its own group
 * ({@code herald-store-channels}), so that channels neither wait for nor hold up the inbox. The same
 * rules as {@link UserEventsListener}: each batch is applied in one transaction with its partitions'
 * positions ({@link ChannelWriter}), and offsets are committed after it; a record that is invalid,
 * whose key is not its channel, or that the database refuses for what it holds is dead-lettered in
 * the transaction that moves the position past it and forwarded to the channel DLT after the commit
 * ({@link ChannelDeadLetters}); any other failure (the database down) reaches the container, which
 * retries the batch with back-off, never skipping it, and dead-letters nothing.
 *
 * <p>Each assigned partition resumes after the position the database holds, not after Kafka's
 * committed offset, so a database that lost its last commits gets those records again, once.
 */
@Component
class ChannelEventsListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(ChannelEventsListener.class);

    private final ChannelWriter writer;
    private final ChannelDeadLetters deadLetters;
    private final ChannelPositions positions;
    private final Counter persisted;
    private final Counter duplicates;

    ChannelEventsListener(ChannelWriter writer, ChannelDeadLetters deadLetters, ChannelPositions positions,
            MeterRegistry registry) {
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.positions = positions;
        this.persisted = Counter.builder("herald.store.channel.messages.persisted")
                .description("Channel messages written to the channel history").register(registry);
        this.duplicates = Counter.builder("herald.store.channel.messages.duplicates")
                .description("Channel messages skipped because their channel already had their eventId from their source")
                .register(registry);
    }

    @KafkaListener(id = Topics.STORE_CHANNELS_GROUP, topics = Topics.CHANNEL_EVENTS)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, Long> batchEnds = new HashMap<>();
        List<Decoded> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            batchEnds.merge(record.partition(), record.offset(), Math::max);
            decoded.add(Decoded.of(record));
        }
        List<PositionedMessage> messages = decoded.stream().map(Decoded::message).filter(Objects::nonNull).toList();
        List<DeadLetter> invalid = decoded.stream().map(Decoded::deadLetter).filter(Objects::nonNull).toList();
        try {
            count(writer.apply(messages, invalid, batchEnds));
            deadLetters.mayHaveRows(invalid.stream().map(DeadLetter::partition).distinct().toList());
        }
        catch (DataIntegrityViolationException ex) {
            // Some record breaks a database rule: find it by applying one record at a time.
            log.warn("A batch of {} channel records failed ({}); applying them one by one", records.size(), ex.getMessage());
            deadLetters.mayHaveRows(batchEnds.keySet());
            decoded.forEach(this::applyAlone);
        }
        deadLetters.forward(batchEnds.keySet());
    }

    /** A partition without records for a while: forward the dead letters an unreachable DLT left. */
    @EventListener
    void onIdle(ListenerContainerPartitionIdleEvent event) {
        if (event.getTopicPartition().topic().equals(Topics.CHANNEL_EVENTS)) {
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
                log.warn("Could not read the applied position of channel partition {} ({}); it resumes from the group's "
                        + "committed offset", partition.partition(), ex.getMessage());
                continue;
            }
            if (applied >= 0) {
                callback.seek(partition.topic(), partition.partition(), applied + 1);
            }
        }
    }

    private void count(ChannelWriter.Applied applied) {
        persisted.increment(applied.inserted());
        duplicates.increment(applied.duplicates());
    }

    /** Applies one record in its own transaction, which moves the position to it. */
    private void applyAlone(Decoded record) {
        Map<Integer, Long> upTo = Map.of(record.record().partition(), record.record().offset());
        if (record.message() == null) {
            writer.apply(List.of(), List.of(record.deadLetter()), upTo);
            return;
        }
        try {
            count(writer.apply(List.of(record.message()), List.of(), upTo));
        }
        catch (DataIntegrityViolationException ex) {
            // Its rows were rolled back; it is dead-lettered in the transaction that moves the position past it.
            DeadLetter refused = DeadLetter.of(record.record(), "the store refused it: " + ex.getMostSpecificCause().getMessage());
            writer.apply(List.of(), List.of(refused), upTo);
        }
    }

    /** A record of a batch: the message it holds, or, when it holds none, its dead letter. */
    private record Decoded(ConsumerRecord<String, byte[]> record, PositionedMessage message, DeadLetter deadLetter) {

        static Decoded of(ConsumerRecord<String, byte[]> record) {
            try {
                ChannelMessage message = ChannelMessageCodec.decode(record.value());
                // The key decides the partition, and so the cursor a channel's readers follow.
                if (!message.channel().equals(record.key())) {
                    throw new InvalidEventException("channel", "does not match the record key");
                }
                return new Decoded(record, new PositionedMessage(message, record.partition(), record.offset()), null);
            }
            catch (InvalidEventException ex) {
                return new Decoded(record, null, DeadLetter.of(record, ex.getMessage()));
            }
        }
    }
}
