package dev.herald.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.PartitionHistory;
import dev.herald.gateway.routing.GatewayMembers;
import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.EventKind;
import dev.herald.schema.InvalidEventException;
import dev.herald.schema.Topics;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The gateway's one consumer of {@code herald.user-events} (group {@code herald-gateway}), on its
 * own thread. Each partition is read by this thread only, so a user's events are fanned out in
 * order. Assignment is cooperative: a rebalance revokes only the partitions that move, so sessions
 * of the others stay open. Nothing is committed: an assigned partition is warmed from the log (the
 * last {@code historySize} records not older than {@code historyAge}) and served once the warm-up
 * has reached the end offset seen at assignment.
 *
 * <p>Starts after the web server (so its public URL, which rides in the client id, is known) and
 * stops before it: sessions get 1001, then the consumer leaves the group so the partitions move
 * at once.
 */
@Component
class PartitionConsumer implements SmartLifecycle, ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final long EVICT_EVERY_MILLIS = 5_000;

    private final GatewayProperties properties;
    private final KafkaProperties kafka;
    private final PartitionRegistry registry;
    private final GroupOwnership ownership;
    private final LocalGateway local;
    private final Redirects redirects;
    /** Partitions being warmed, to the end offset they must reach before serving. Consumer thread only. */
    private final Map<Integer, Long> warming = new HashMap<>();

    private volatile boolean running;
    private volatile String failure;
    private final MeterRegistry meters;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private KafkaClientMetrics consumerMetrics;
    private Thread thread;
    private long lastEviction;

    PartitionConsumer(GatewayProperties properties, KafkaProperties kafka, PartitionRegistry registry,
            GroupOwnership ownership, LocalGateway local, Redirects redirects, MeterRegistry meters) {
        this.meters = meters;
        this.properties = properties;
        this.kafka = kafka;
        this.registry = registry;
        this.ownership = ownership;
        this.local = local;
        this.redirects = redirects;
        Gauge.builder("herald.gateway.partitions.owned", registry, r -> r.ownedPartitions().size())
                .description("partitions of herald.user-events this gateway owns").register(meters);
    }

    @Override
    public synchronized void start() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.GATEWAY_GROUP);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, GatewayMembers.clientId(local.publicUrl()));
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        consumer = new KafkaConsumer<>(config);
        consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(meters);
        running = true;
        thread = new Thread(this::run, "herald-gateway-consumer");
        thread.start();
        log.info("Gateway {} joining group {}", local.publicUrl(), Topics.GATEWAY_GROUP);
    }

    @Override
    public void stop() {
        Thread polling;
        synchronized (this) {
            running = false;
            polling = thread;
        }
        if (polling == null) {
            return;
        }
        consumer.wakeup();
        try {
            polling.join(15_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Why the consumer stopped on its own, or null while it works (or was stopped on purpose). */
    String failure() {
        return failure;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.USER_EVENTS), this);
            while (running) {
                try {
                    handle(consumer.poll(POLL_TIMEOUT));
                    finishWarming();
                    evictExpired();
                }
                catch (WakeupException ex) {
                    // stop() asked us to leave the loop
                }
            }
        }
        catch (RuntimeException ex) {
            failure = ex.toString();
            log.error("The gateway consumer failed; its sessions are closed and it stops consuming", ex);
        }
        finally {
            goAway();
        }
    }

    /** Sessions first (1001), then leave the group, so the new owners take over at once. */
    private void goAway() {
        List<Subscriber> sessions = registry.shutDown();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        sessions.forEach(session -> closing.add(session.close(CloseCodes.GOING_AWAY, "gateway shutting down")));
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            log.warn("Not every session was closed in time: {}", ex.toString());
        }
        try {
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(5));
        }
        catch (RuntimeException ex) {
            log.warn("Closing the consumer failed: {}", ex.toString());
        }
        log.info("Gateway {} left group {} after closing {} sessions", local.publicUrl(), Topics.GATEWAY_GROUP,
                sessions.size());
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            Partition partition = registry.get(tp.partition());
            if (partition == null) {
                continue;
            }
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                HistoryEntry entry = entryOf(record);
                if (entry == null) {
                    partition.skipped(record.offset() + 1);
                }
                else {
                    partition.append(entry);
                }
            }
        }
    }

    /** The record with its frame, serialized once for every session; null for a record that cannot be read. */
    static HistoryEntry entryOf(ConsumerRecord<String, byte[]> record) {
        Envelope event;
        try {
            event = EnvelopeCodec.decode(record.value());
            if (!event.userId().equals(record.key())) {
                throw new InvalidEventException("userId", "does not match the record key");
            }
        }
        catch (InvalidEventException ex) {
            // The store routes such records to the DLT; the gateway only skips them.
            String eventId = EnvelopeCodec.eventIdOf(record.value()).orElse("unknown");
            try (var ignored = MDC.putCloseable("eventId", eventId)) {
                log.warn("Skipping record {}-{} (eventId {}): {}", record.partition(), record.offset(), eventId, ex.getMessage());
            }
            return null;
        }
        Cursor cursor = new Cursor(record.partition(), record.offset());
        boolean notification = event.kind() == EventKind.NOTIFICATION;
        ServerFrame frame = notification ? ServerFrame.Notification.of(cursor, event)
                : new ServerFrame.Read(cursor, event.eventId(), event.refs(), event.kind() == EventKind.READ_ALL);
        return new HistoryEntry(record.offset(), record.key(), record.timestamp(), notification ? "notification" : "read",
                Frames.encode(frame));
    }

    private void finishWarming() {
        for (Iterator<Map.Entry<Integer, Long>> it = warming.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Integer, Long> warm = it.next();
            if (consumer.position(new TopicPartition(Topics.USER_EVENTS, warm.getKey())) >= warm.getValue()) {
                it.remove();
                Partition partition = registry.get(warm.getKey());
                if (partition != null) {
                    partition.ready(System.currentTimeMillis());
                    log.info("Partition {} is warm ({} events of history) and served", warm.getKey(),
                            partition.historySize());
                }
            }
        }
    }

    private void evictExpired() {
        long now = System.currentTimeMillis();
        if (now - lastEviction >= EVICT_EVERY_MILLIS) {
            lastEviction = now;
            registry.partitions().forEach(partition -> partition.evictExpired(now));
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        ownership.invalidate();
        if (partitions.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        partitions.forEach(tp -> timestamps.put(tp, now - properties.historyAge().toMillis()));
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> byAge = consumer.offsetsForTimes(timestamps);
        for (TopicPartition tp : partitions) {
            long end = ends.get(tp);
            OffsetAndTimestamp firstYoungEnough = byAge.get(tp);
            long start = Math.max(beginnings.get(tp), Math.max(end - properties.historySize(),
                    firstYoungEnough == null ? end : firstYoungEnough.offset()));
            consumer.seek(tp, start);
            Partition partition = new Partition(tp.partition(),
                    new PartitionHistory(tp.partition(), start, properties.historySize(), properties.historyAge()));
            registry.assigned(partition);
            if (start >= end) {
                partition.ready(now);
            }
            else {
                warming.put(tp.partition(), end);
            }
        }
        log.info("Assigned partitions {}; warming {}", partitions.stream().map(TopicPartition::partition).sorted().toList(),
                warming.keySet());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        ownership.invalidate();
        for (TopicPartition tp : partitions) {
            warming.remove(tp.partition());
            redirects.moveAway(tp.partition(), registry.revoked(tp.partition()));
        }
        if (!partitions.isEmpty()) {
            log.info("Revoked partitions {}", partitions.stream().map(TopicPartition::partition).sorted().toList());
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
