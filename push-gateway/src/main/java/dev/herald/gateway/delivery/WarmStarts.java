package dev.herald.gateway.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

import dev.herald.gateway.recovery.Recovery;
import dev.herald.gateway.system.GatewayProperties;

/** Where reading newly served partitions starts, and the end each must reach before it serves. */
public final class WarmStarts {

    /** Read from {@code start}; serve once the end seen now, {@code end}, is reached. */
    public record Range(long start, long end) {
    }

    private WarmStarts() {
    }

    /**
     * Reads the partitions' offsets (each call bounded by {@code timeout}) and applies
     * {@link Recovery#warmStart}; throws what Kafka throws, for the caller to retry.
     */
    public static Map<TopicPartition, Range> of(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            GatewayProperties properties, Duration timeout) {
        long oldest = System.currentTimeMillis() - properties.historyAge().toMillis();
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        partitions.forEach(tp -> timestamps.put(tp, oldest));
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, OffsetAndTimestamp> byAge = consumer.offsetsForTimes(timestamps, timeout);
        Map<TopicPartition, Range> ranges = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp young = byAge.get(tp);
            long end = ends.get(tp);
            ranges.put(tp, new Range(Recovery.warmStart(beginnings.get(tp), end, properties.historySize(),
                    young == null ? null : young.offset()), end));
        }
        return ranges;
    }
}
