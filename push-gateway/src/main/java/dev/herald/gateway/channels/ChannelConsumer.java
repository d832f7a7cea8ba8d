package dev.herald.gateway.channels;

import java.time.Duration;
import java.util.ArrayList;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.delivery.ConsumerLoop;
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
import org.springframework.stereotype.Component;

/**
 * Reads every partition of {@code herald.channel-events} into the {@link ChannelHub}, on its own
 * thread. No group and no commits: each gateway assigns itself the whole topic (it carries one
 * record per message, however many subscribers it has, so far less than the user topic), warms
 * each partition's history from the log as the user consumer does, and notices partitions added
 * later. Errors are retried with back-off unless fatal ({@link KafkaErrors}).
 */
@Component
class ChannelConsumer extends ConsumerLoop implements DisposableBean {

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
    private long lastTickNanos;
    private long lastLookNanos;

    ChannelConsumer(GatewayProperties properties, KafkaProperties kafka, ChannelHub hub, MeterRegistry meters) {
        super("herald-gateway-channels", "channel subscriptions get nothing more", 10_000);
        this.properties = properties;
        this.kafka = kafka;
        this.hub = hub;
        this.topic = new TopicLayout(kafka.buildAdminProperties(), Topics.CHANNEL_EVENTS, TopicLayout.REFRESH_EVERY);
        Gauge.builder("herald.gateway.channel.subscriptions", hub, ChannelHub::subscriptions)
                .description("channel subscriptions of this gateway's sessions").register(meters);
    }

    @Override
    protected KafkaConsumer<String, byte[]> createConsumer() {
        Map<String, Object> config = configuration(kafka, "herald-gateway-channels");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(config);
    }

    @Override
    protected void step() {
        assignNewPartitions();
        handle(consumer.poll(POLL_TIMEOUT));
        tick();
    }

    @Override
    protected void afterLoop() {
        try {
            consumer.close(Duration.ofSeconds(2));
        }
        catch (RuntimeException ex) {
            log.warn("Closing the channel consumer failed: {}", ex.toString());
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
