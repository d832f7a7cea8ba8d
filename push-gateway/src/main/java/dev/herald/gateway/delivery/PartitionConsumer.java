package dev.herald.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.herald.gateway.ownership.Ownership;
import dev.herald.gateway.ownership.Subscriber;
import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.routing.GatewayMembers;
import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.EventKind;
import dev.herald.schema.InvalidEventException;
import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Topics;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;
import dev.herald.support.TopicLayout;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The gateway's one consumer of {@code herald.user-events} (group {@code herald-gateway}), on its
 * own thread. Each partition is read by this thread only, so a user's events are fanned out in
 * order. Assignment is cooperative: a rebalance revokes only the partitions that move, so sessions
 * of the others stay open. Nothing is committed: an assigned partition is warmed from the log (see
 * {@link Recovery#warmStart}) and served once the warm-up has reached the end offset seen at
 * assignment. This class only translates Kafka's callbacks and records for {@link Ownership}.
 *
 * <p>The rebalance callbacks call nothing that can block or fail: a newly assigned partition is
 * paused, and the loop reads its offsets (with timeouts), seeks and resumes it, retrying while
 * Kafka cannot answer. An error in the loop is retried with back-off unless {@link KafkaErrors}
 * says it is fatal, so one Kafka error never stops a gateway for good.
 *
 * <p>Starts after the web server (so its public URL, which rides in the client id, is known) and
 * stops before it: sessions get 1001, then the consumer leaves the group so the partitions move
 * at once. A gateway that dies without leaving is noticed by its peers (routing/PeerWatch), which
 * remove it from the group by its instance id; the session timeout is the fallback.
 */
@Component
class PartitionConsumer extends ConsumerLoop implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(PartitionConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(3);
    /** How long taking partitions may spend reading their users' sets from herald.preferences before it is retried. */
    private static final Duration PREFERENCES_TIMEOUT = Duration.ofSeconds(10);
    private static final long REPORT_EVERY_NANOS = Duration.ofMillis(50).toNanos();

    private final GatewayProperties properties;
    private final KafkaProperties kafka;
    private final Ownership ownership;
    private final GroupOwnership routes;
    private final TopicLayout topic;
    private final LocalGateway local;
    private final MeterRegistry meters;
    /** Assigned partitions not read from yet (paused until their start is known). Consumer thread only. */
    private final Set<TopicPartition> unstarted = new LinkedHashSet<>();
    private final LiveMutes mutes;

    private PreferenceReader preferences;
    private KafkaClientMetrics consumerMetrics;
    private long lastReportNanos;

    PartitionConsumer(GatewayProperties properties, KafkaProperties kafka, Ownership ownership, GroupOwnership routes,
            TopicLayout topic, LocalGateway local, MeterRegistry meters) {
        super("herald-gateway-consumer", "its sessions are closed and it stops consuming", 15_000);
        this.properties = properties;
        this.kafka = kafka;
        this.ownership = ownership;
        this.routes = routes;
        this.topic = topic;
        this.local = local;
        this.meters = meters;
        this.mutes = new LiveMutes(meters);
        Gauge.builder("herald.gateway.partitions.owned", ownership, o -> o.ownedPartitions().size())
                .description("partitions of herald.user-events this gateway owns").register(meters);
    }

    @Override
    protected KafkaConsumer<String, byte[]> createConsumer() {
        Map<String, Object> config = configuration(kafka, GatewayMembers.clientId(local.publicUrl()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.GATEWAY_GROUP);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.groupSessionTimeout().toMillis());
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) properties.groupHeartbeatInterval().toMillis());
        if (properties.removesDeadPeers()) {
            // Static membership, so that a peer which proves this gateway dead can remove it by this id
            // (routing/PeerWatch). A static member does not leave the group on close unless told: see goAway.
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, local.instanceId());
        }
        else {
            config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        }
        KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(config);
        preferences = new PreferenceReader(configuration(kafka, GatewayMembers.clientId(local.publicUrl()) + "-preferences"));
        consumerMetrics = new KafkaClientMetrics(created);
        consumerMetrics.bindTo(meters);
        log.info("Gateway {} joining group {}{}", local.publicUrl(), Topics.GATEWAY_GROUP,
                properties.removesDeadPeers() ? " as " + local.instanceId() : "");
        return created;
    }

    @Override
    protected void beforeLoop() {
        consumer.subscribe(List.of(Topics.USER_EVENTS), this);
    }

    @Override
    protected void step() {
        handle(consumer.poll(POLL_TIMEOUT));
        startAssigned();
        reportPositions();
    }

    @Override
    protected void afterLoop() {
        goAway();
    }

    /** Sessions first (1001), then leave the group, so the new owners take over at once. */
    private void goAway() {
        List<Subscriber> sessions = ownership.shutDown();
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
            preferences.close();
        }
        catch (RuntimeException ex) {
            log.warn("Closing the preferences reader failed: {}", ex.toString());
        }
        try {
            consumerMetrics.close();
            // Leave explicitly: a static member would otherwise stay until its session timeout.
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        catch (RuntimeException ex) {
            log.warn("Closing the consumer failed: {}", ex.toString());
        }
        log.info("Gateway {} left group {} after closing {} sessions", local.publicUrl(), Topics.GATEWAY_GROUP,
                sessions.size());
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                HistoryEntry entry = entryOf(record, topic.epochOrNull(), mutes);
                if (entry == null) {
                    ownership.skipped(tp.partition(), record.offset() + 1);
                }
                else {
                    ownership.append(tp.partition(), entry);
                }
            }
        }
    }

    /**
     * The record with its frame, serialized once for every session; null for a record that cannot
     * be read (or whose frame cannot be built), which is skipped rather than retried forever.
     */
    static HistoryEntry entryOf(ConsumerRecord<String, byte[]> record, String epoch) {
        return entryOf(record, epoch, null);
    }

    /**
     * As {@link #entryOf(ConsumerRecord, String)}, and null also for what {@code mutes} holds back
     * (a muted notification) or keeps ({@code preferences} events, which no session is sent): their
     * offsets are passed over like those of unreadable records.
     */
    private static HistoryEntry entryOf(ConsumerRecord<String, byte[]> record, String epoch, LiveMutes mutes) {
        Envelope event;
        try {
            event = EnvelopeCodec.decode(record.value());
            if (!event.userId().equals(record.key())) {
                throw new InvalidEventException("userId", "does not match the record key");
            }
            if (event.kind() == EventKind.PREFERENCES) {
                if (mutes != null) {
                    mutes.apply(record.partition(), event, record.offset());
                }
                return null;
            }
            if (mutes != null && event.kind() == EventKind.NOTIFICATION
                    && mutes.suppresses(record.partition(), event, record.offset())) {
                return null;
            }
            Cursor cursor = new Cursor(record.partition(), record.offset(), epoch);
            boolean notification = event.kind() == EventKind.NOTIFICATION;
            boolean read = event.kind() == EventKind.READ || event.kind() == EventKind.READ_ALL;
            ServerFrame frame = notification ? ServerFrame.Notification.of(cursor, event)
                    : read ? new ServerFrame.Read(cursor, event.eventId(), event.refs(), event.kind() == EventKind.READ_ALL,
                            event.channel())
                    : ServerFrame.State.of(cursor, event);
            return new HistoryEntry(record.offset(), record.key(), record.timestamp(),
                    notification ? "notification" : read ? "read" : "state", Frames.encode(frame), notification ? event.eventId() : null);
        }
        catch (RuntimeException ex) {
            // The store routes such records to the DLT; the gateway only skips them.
            String eventId = EnvelopeCodec.eventIdOf(record.value()).orElse("unknown");
            try (var ignored = MDC.putCloseable("eventId", eventId)) {
                log.warn("Skipping record {}-{} (eventId {}): {}", record.partition(), record.offset(), eventId, ex.getMessage());
            }
            return null;
        }
    }

    /** Reads where each newly assigned partition starts, seeks there and resumes it; retried while Kafka cannot say. */
    private void startAssigned() {
        if (unstarted.isEmpty()) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>(unstarted);
        // The users' sets first, so that the warm-up and every delivery after it honour them.
        Map<Integer, Collection<PreferenceSnapshot>> sets = preferences.read(
                partitions.stream().map(TopicPartition::partition).toList(), PREFERENCES_TIMEOUT);
        sets.forEach(mutes::load);
        Map<TopicPartition, WarmStarts.Range> ranges = WarmStarts.of(consumer, partitions, properties, OFFSETS_TIMEOUT);
        String epoch = topic.epochOrNull();
        for (TopicPartition tp : partitions) {
            WarmStarts.Range range = ranges.get(tp);
            consumer.seek(tp, range.start());
            ownership.assigned(tp.partition(), epoch, range.start(), range.end());
            unstarted.remove(tp);
        }
        consumer.resume(partitions);
        log.info("Started partitions {}; warming {}", partitions.stream().map(TopicPartition::partition).sorted().toList(),
                ownership.warmingPartitions().keySet());
    }

    /**
     * Tells ownership how far each partition is read, which also covers records that are not events
     * (markers, gaps), every 50 ms at most: it ends warm-ups and waits for the log, never a delivery.
     */
    private void reportPositions() {
        long now = System.nanoTime();
        if (now - lastReportNanos < REPORT_EVERY_NANOS) {
            return;
        }
        lastReportNanos = now;
        for (TopicPartition tp : consumer.assignment()) {
            if (!unstarted.contains(tp)) {
                ownership.position(tp.partition(), consumer.position(tp, OFFSETS_TIMEOUT));
            }
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        routes.invalidate();
        if (!partitions.isEmpty()) {
            consumer.pause(partitions);
            unstarted.addAll(partitions);
            log.info("Assigned partitions {}", partitions.stream().map(TopicPartition::partition).sorted().toList());
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        routes.invalidate();
        for (TopicPartition tp : partitions) {
            unstarted.remove(tp);
            mutes.revoked(tp.partition());
            ownership.revoked(tp.partition());
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
