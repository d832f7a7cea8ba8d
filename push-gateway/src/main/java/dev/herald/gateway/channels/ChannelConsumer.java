package dev.herald.gateway.channels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.delivery.KafkaErrors;
import dev.herald.gateway.delivery.WarmStarts;
import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.Cursor;
import dev.herald.schema.InvalidEventException;
import dev.herald.schema.Topics;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;
import dev.herald.support.TopicLayout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads every partition of {@code herald.channel-events} into the {@link ChannelHub}, on its own
 * thread. No group and no commits: each gateway assigns itself the whole topic (it carries one
 * record per message, however many subscribers it has, so far less than the user topic), warms
 * each partition's history from the log as the user consumer does, and notices partitions added
 * later. Errors are retried with back-off unless fatal ({@link KafkaErrors}).
 */
@Component
class ChannelConsumer implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChannelConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final long TICK_NANOS = Duration.ofMillis(100).toNanos();
    private static final long LOOK_FOR_PARTITIONS_NANOS = Duration.ofSeconds(30).toNanos();

    private final GatewayProperties properties;
    private final KafkaProperties kafka;
    private final ChannelHub hub;
    private final TopicLayout topic;
    private final Set<TopicPartition> started = new HashSet<>();
    private volatile boolean running;
    private volatile String failure;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    private long lastTickNanos;
    private long lastLookNanos;

    ChannelConsumer(GatewayProperties properties, KafkaProperties kafka, ChannelHub hub, MeterRegistry meters) {
        this.properties = properties;
        this.kafka = kafka;
        this.hub = hub;
        this.topic = new TopicLayout(kafka.buildAdminProperties(), Topics.CHANNEL_EVENTS, TopicLayout.REFRESH_EVERY);
        Gauge.builder("herald.gateway.channel.subscriptions", hub, ChannelHub::subscriptions)
                .description("channel subscriptions of this gateway's sessions").register(meters);
    }

    @Override
    public synchronized void start() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-gateway-channels");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(config);
        running = true;
        thread = new Thread(this::run, "herald-gateway-channels");
        thread.start();
    }

    @Override
    public void stop() {
        Thread polling;
        synchronized (this) {
            running = false;
            polling = thread;
        }
        if (polling != null) {
            consumer.wakeup();
            try {
                polling.join(10_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Why the channel consumer stopped on its own, or null. */
    String failure() {
        return failure;
    }

    private void run() {
        try {
            KafkaErrors.retrying(() -> running, () -> {
                assignNewPartitions();
                handle(consumer.poll(POLL_TIMEOUT));
                tick();
            }, log, "The channel consumer");
        }
        catch (RuntimeException ex) {
            failure = ex.toString();
            log.error("The channel consumer failed for good; channel subscriptions get nothing more", ex);
        }
        finally {
            try {
                consumer.close(Duration.ofSeconds(2));
            }
            catch (RuntimeException ex) {
                log.warn("Closing the channel consumer failed: {}", ex.toString());
            }
        }
    }

    /** Assigns every partition of the topic not read yet, each from where its history starts. */
    private void assignNewPartitions() {
        long now = System.nanoTime();
        if (!started.isEmpty() && now - lastLookNanos < LOOK_FOR_PARTITIONS_NANOS) {
            return;
        }
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.CHANNEL_EVENTS, CALL_TIMEOUT);
        lastLookNanos = now;
        List<TopicPartition> fresh = new ArrayList<>();
        for (PartitionInfo info : infos) {
            TopicPartition tp = new TopicPartition(Topics.CHANNEL_EVENTS, info.partition());
            if (!started.contains(tp)) {
                fresh.add(tp);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Map<TopicPartition, WarmStarts.Range> ranges = WarmStarts.of(consumer, fresh, properties, CALL_TIMEOUT);
        List<TopicPartition> all = new ArrayList<>(started);
        all.addAll(fresh);
        consumer.assign(all);
        String epoch = topic.epochOrNull();
        for (TopicPartition tp : fresh) {
            WarmStarts.Range range = ranges.get(tp);
            consumer.seek(tp, range.start());
            hub.started(tp.partition(), infos.size(), epoch, range.start(), range.end());
            started.add(tp);
        }
        log.info("Reading partitions {} of {}", fresh.stream().map(TopicPartition::partition).sorted().toList(),
                Topics.CHANNEL_EVENTS);
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        String epoch = topic.epochOrNull();
        for (ConsumerRecord<String, byte[]> record : records) {
            HistoryEntry entry = entryOf(record, epoch);
            if (entry == null) {
                hub.skipped(record.partition(), record.offset() + 1);
            }
            else {
                hub.append(record.partition(), entry);
            }
        }
    }

    /** The record with its frame, encoded once for every subscriber; null for a record that cannot be read. */
    static HistoryEntry entryOf(ConsumerRecord<String, byte[]> record, String epoch) {
        try {
            ChannelMessage message = ChannelMessageCodec.decode(record.value());
            if (!message.channel().equals(record.key())) {
                throw new InvalidEventException("channel", "does not match the record key");
            }
            Cursor cursor = new Cursor(record.partition(), record.offset(), epoch);
            return new HistoryEntry(record.offset(), message.channel(), record.timestamp(), "message",
                    Frames.encode(ServerFrame.Message.of(cursor, message)));
        }
        catch (RuntimeException ex) {
            log.warn("Skipping channel record {}-{}: {}", record.partition(), record.offset(), ex.getMessage());
            return null;
        }
    }

    /** Positions end warm-ups and waits for the log; the hub's tick expires cursors that waited too long. */
    private void tick() {
        long now = System.nanoTime();
        if (now - lastTickNanos < TICK_NANOS) {
            return;
        }
        lastTickNanos = now;
        for (TopicPartition tp : started) {
            hub.position(tp.partition(), consumer.position(tp, CALL_TIMEOUT));
        }
        hub.tick(System.currentTimeMillis());
    }

    @Override
    public void destroy() {
        topic.destroy();
    }
}
