package dev.herald.store.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.InvalidEventException;

import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.event.ListenerContainerPartitionIdleEvent;
import org.springframework.kafka.listener.ConsumerSeekAware;

/**
 * How the store consumes a topic in batches, the same for each topic: a batch is applied in one
 * transaction with its partitions' positions, and offsets are committed by the container after
 * {@link #onBatch} returns, that is after the database commit. A record that cannot be applied
 * (invalid, or refused by the database for what it holds: a {@link DataIntegrityViolationException})
 * is recorded as a dead letter in the transaction that moves the position past it, and forwarded to
 * the DLT after the commit; consumption goes on. Any other failure reaches the container, which
 * retries the batch with back-off, never skipping it, and dead-letters nothing: the retried batch
 * decides again, in the transaction that succeeds.
 *
 * <p>Each assigned partition resumes after the position the database holds, not after Kafka's
 * committed offset, so a database that lost its last commits gets those records again, once.
 *
 * @param <T> a valid record of the topic, where it sits in the stream
 */
abstract class BatchListener<T extends Positioned> implements ConsumerSeekAware {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String topic;
    private final String batchFailed;
    private final String positionUnreadable;
    private final DeadLetterOutbox deadLetters;
    private final Counter persisted;
    private final Counter duplicates;

    /**
     * @param records what the log calls the topic's records ("records", "channel records")
     * @param partitions what the log calls its partitions ("partition", "channel partition")
     * @param persisted counts the items a batch stored
     * @param duplicates counts the items a batch found stored already
     */
    BatchListener(String topic, String records, String partitions, DeadLetterOutbox deadLetters, Counter persisted,
            Counter duplicates) {
        this.topic = topic;
        this.batchFailed = "A batch of {} " + records + " failed ({}); applying them one by one";
        this.positionUnreadable = "Could not read the applied position of " + partitions
                + " {} ({}); it resumes from the group's committed offset";
        this.deadLetters = deadLetters;
        this.persisted = persisted;
        this.duplicates = duplicates;
    }

    /**
     * The valid item {@code record} holds.
     *
     * @throws InvalidEventException if it holds none, or its key is not what decides its partition
     */
    abstract T decode(ConsumerRecord<String, byte[]> record) throws InvalidEventException;

    /** Applies items and dead letters in one transaction that moves each partition to its batch end. */
    abstract Applied apply(List<T> items, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds);

    /** The committed position of {@code partition}, -1 when nothing was applied there yet. */
    abstract long appliedOffset(int partition);

    /** Applies a whole batch; by default {@link #apply}. */
    Applied applyBatch(List<T> items, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds) {
        return apply(items, deadLetters, batchEnds);
    }

    /** Called after the batch's commits reached {@code batchEnds}, before its dead letters are forwarded. */
    void committed(Map<Integer, Long> batchEnds) {
    }

    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, Long> batchEnds = new HashMap<>();
        List<Decoded<T>> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            batchEnds.merge(record.partition(), record.offset(), Math::max);
            decoded.add(decoded(record));
        }
        List<T> items = decoded.stream().map(Decoded::item).filter(Objects::nonNull).toList();
        List<DeadLetter> invalid = decoded.stream().map(Decoded::deadLetter).filter(Objects::nonNull).toList();
        try {
            count(applyBatch(items, invalid, batchEnds));
            deadLetters.mayHaveRows(invalid.stream().map(DeadLetter::partition).distinct().toList());
        }
        catch (DataIntegrityViolationException ex) {
            // Some record breaks a database rule: find it by applying one record at a time. Any of
            // them may be dead-lettered, and what is recorded is forwarded even if a later record
            // fails this batch and it is retried.
            log.warn(batchFailed, records.size(), ex.getMessage());
            deadLetters.mayHaveRows(batchEnds.keySet());
            decoded.forEach(this::applyAlone);
        }
        committed(batchEnds);
        deadLetters.forward(batchEnds.keySet());
    }

    /** A partition without records for a while: forward the dead letters an unreachable DLT left. */
    @EventListener
    void onIdle(ListenerContainerPartitionIdleEvent event) {
        if (event.getTopicPartition().topic().equals(topic)) {
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
                applied = appliedOffset(partition.partition());
            }
            catch (DataAccessException ex) {
                // The batches will wait for the database anyway (retried with back-off).
                log.warn(positionUnreadable, partition.partition(), ex.getMessage());
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
    private void applyAlone(Decoded<T> record) {
        Map<Integer, Long> upTo = Map.of(record.record().partition(), record.record().offset());
        if (record.item() == null) {
            apply(List.of(), List.of(record.deadLetter()), upTo);
            return;
        }
        try {
            count(apply(List.of(record.item()), List.of(), upTo));
        }
        catch (DataIntegrityViolationException ex) {
            // Its rows were rolled back; it is dead-lettered in the transaction that moves the position past it.
            DeadLetter refused = DeadLetter.of(record.record(), "the store refused it: " + ex.getMostSpecificCause().getMessage());
            apply(List.of(), List.of(refused), upTo);
        }
    }

    private Decoded<T> decoded(ConsumerRecord<String, byte[]> record) {
        try {
            return new Decoded<>(record, decode(record), null);
        }
        catch (InvalidEventException ex) {
            return new Decoded<>(record, null, DeadLetter.of(record, ex.getMessage()));
        }
    }

    /** A record of a batch: the item it holds, or, when it holds none, its dead letter. */
    private record Decoded<T>(ConsumerRecord<String, byte[]> record, T item, DeadLetter deadLetter) {
    }
}
