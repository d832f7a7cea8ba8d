package dev.herald.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaAdmin;

/**
 * {@code herald.consumer.lag{group, topic, partition}}: how many records a consumer group has yet to
 * process, from its committed offsets and the partitions' end offsets, refreshed every
 * {@code interval}. Every instance of a service reports its whole group; dashboards take the max.
 * Every partition of the group's topic is reported from the first refresh on, also before
 * the group committed anything there (then its lag is every record the partition holds), so
 * dashboards never show "no data". The first refresh happens in the constructor (waiting up to
 * {@link #FIRST_REFRESH_WAIT} for Kafka), so a service that starts with Kafka there exports them
 * before its web server answers; while the topic cannot be read, refreshes come every second.
 */
public class ConsumerLagMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    /** How long the constructor waits for the first refresh. */
    static final Duration FIRST_REFRESH_WAIT = Duration.ofSeconds(3);

    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final Admin admin;
    private final MeterRegistry registry;
    private final String group;
    private final String topic;
    private final Duration interval;
    private final Map<TopicPartition, Long> lags = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "herald-lag-metrics");
        thread.setDaemon(true);
        return thread;
    });

    /** The lag of {@code group} in {@code topic} (and in whatever else it has committed offsets in). */
    public ConsumerLagMetrics(KafkaAdmin kafkaAdmin, MeterRegistry registry, String group, String topic, Duration interval) {
        this.admin = Admin.create(kafkaAdmin.getConfigurationProperties());
        this.registry = registry;
        this.group = group;
        this.topic = topic;
        this.interval = interval;
        try {
            timer.submit(this::refreshAndSchedule).get(FIRST_REFRESH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            log.debug("The first lag refresh of group {} has not ended yet: {}", group, ex.toString());
        }
    }

    private void refreshAndSchedule() {
        Duration next = refresh() ? interval : RETRY_EVERY;
        if (!timer.isShutdown()) {
            timer.schedule(this::refreshAndSchedule, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads every lag once; false when the topic or the group's offsets could not be read. */
    boolean refresh() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS));
            admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(topic).partitions()
                    .forEach(info -> committed.putIfAbsent(new TopicPartition(topic, info.partition()), null));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            committed.forEach((tp, offset) -> {
                latest.put(tp, OffsetSpec.latest());
                if (offset == null) {
                    earliest.put(tp, OffsetSpec.earliest());
                }
            });
            var ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
            var starts = earliest.isEmpty() ? Map.<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>of()
                    : admin.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
            committed.forEach((tp, offset) -> {
                long from = offset != null ? offset.offset() : starts.containsKey(tp) ? starts.get(tp).offset() : -1;
                if (from >= 0 && ends.containsKey(tp)) {
                    record(tp, Math.max(0, ends.get(tp).offset() - from));
                }
            });
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception ex) {
            log.debug("Could not read the lag of group {}: {}", group, ex.toString());
        }
        return false;
    }

    private void record(TopicPartition tp, long lag) {
        if (lags.put(tp, lag) == null) {
            Gauge.builder("herald.consumer.lag", lags, values -> values.getOrDefault(tp, 0L))
                    .description("Records of the partition not yet processed by the consumer group")
                    .tag("group", group)
                    .tag("topic", tp.topic())
                    .tag("partition", Integer.toString(tp.partition()))
                    .register(registry);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
