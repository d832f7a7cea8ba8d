package dev.herald.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Topics;

/**
 * Reads partitions of the compacted {@code herald.preferences} from the beginning to the end they
 * have now: the latest set of each of their users. Outside any group (it assigns partitions itself);
 * called on the consumer thread, which owns it.
 */
final class PreferenceReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PreferenceReader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;

    PreferenceReader(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config);
    }

    /**
     * Per partition, each user's latest set.
     *
     * @throws TimeoutException if the partitions were not read to their end within {@code timeout}
     *         (the caller retries, as it does when Kafka cannot tell offsets)
     */
    Map<Integer, Collection<PreferenceSnapshot>> read(Collection<Integer> partitions, Duration timeout) {
        List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(Topics.PREFERENCES, p)).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps, timeout);
        Map<Integer, Map<String, PreferenceSnapshot>> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, new HashMap<>()));
        try {
            while (!reachedEnds(ends, timeout)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read " + Topics.PREFERENCES + " partitions " + partitions
                            + " to their end in " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Map<String, PreferenceSnapshot> users = latest.get(record.partition());
                    if (record.value() == null) {
                        users.remove(record.key());
                        continue;
                    }
                    try {
                        PreferenceSnapshot snapshot = PreferenceSnapshot.decode(record.value());
                        users.put(snapshot.userId(), snapshot);
                    }
                    catch (RuntimeException ex) {
                        log.warn("Skipping record {}-{} of {}: {}", record.partition(), record.offset(), Topics.PREFERENCES,
                                ex.getMessage());
                    }
                }
            }
        }
        finally {
            consumer.assign(List.of());
        }
        Map<Integer, Collection<PreferenceSnapshot>> sets = new HashMap<>();
        latest.forEach((partition, users) -> sets.put(partition, new ArrayList<>(users.values())));
        return sets;
    }

    private boolean reachedEnds(Map<TopicPartition, Long> ends, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), timeout) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
