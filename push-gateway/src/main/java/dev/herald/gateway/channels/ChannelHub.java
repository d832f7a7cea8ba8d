package dev.herald.gateway.channels;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.herald.gateway.ownership.OwnedPartition;
import dev.herald.gateway.ownership.Subscriber;
import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.KeyedHistory;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.UserPartitioner;

import org.springframework.stereotype.Component;

/**
 * Every partition of {@code herald.channel-events}, served on this gateway whatever users it owns:
 * each gateway reads the whole channel topic, so a subscriber is served where its session is. A
 * partition's subscribers are keyed by channel, and resume by their channel's cursor exactly as a
 * user's session does ({@link OwnedPartition}: history, replay, gap, live with no seam).
 */
@Component
public class ChannelHub {

    private final GatewayProperties properties;
    private final Map<Integer, OwnedPartition> partitions = new HashMap<>();
    private int partitionCount;

    ChannelHub(GatewayProperties properties) {
        this.properties = properties;
    }

    /** What became of a subscription request. */
    public enum Subscribed {
        /** Served now, or once the channel's partition is warm. */
        SUBSCRIBED,
        /** The channel topic has not been read yet (the gateway is starting). */
        NOT_READY
    }

    public Subscribed subscribe(Subscriber subscription, Cursor since) {
        OwnedPartition partition = partitionOf(subscription.key());
        if (partition == null) {
            return Subscribed.NOT_READY;
        }
        partition.attach(subscription, since, System.currentTimeMillis());
        return Subscribed.SUBSCRIBED;
    }

    public void unsubscribe(Subscriber subscription) {
        OwnedPartition partition = partitionOf(subscription.key());
        if (partition != null) {
            partition.detach(subscription);
        }
    }

    private synchronized OwnedPartition partitionOf(String channel) {
        return partitionCount == 0 ? null : partitions.get(UserPartitioner.partitionOf(channel, partitionCount));
    }

    // ---- what the channel consumer reports

    /** Starts serving {@code partition} of {@code count}, read from {@code start} and warm once it has read {@code warmTarget}. */
    synchronized void started(int partition, int count, String epoch, long start, long warmTarget) {
        OwnedPartition served = new OwnedPartition(partition, epoch, new KeyedHistory(start, properties.historySize(),
                properties.historyPerUser(), properties.historyAge()), warmTarget, OwnedPartition.AHEAD_WAIT.toMillis());
        served.caughtUp(start, System.currentTimeMillis());
        partitions.put(partition, served);
        partitionCount = Math.max(partitionCount, count);
    }

    void append(int partition, HistoryEntry entry) {
        OwnedPartition served = get(partition);
        if (served != null) {
            served.append(entry, System.currentTimeMillis());
        }
    }

    void skipped(int partition, long nextOffset) {
        OwnedPartition served = get(partition);
        if (served != null) {
            served.skipped(nextOffset);
        }
    }

    void position(int partition, long position) {
        OwnedPartition served = get(partition);
        if (served != null) {
            served.caughtUp(position, System.currentTimeMillis());
        }
    }

    void tick(long nowMillis) {
        Map<Integer, OwnedPartition> now;
        synchronized (this) {
            now = new HashMap<>(partitions);
        }
        now.values().forEach(partition -> partition.tick(nowMillis));
    }

    /** Partitions whose history is still being read. */
    public synchronized Set<Integer> warming() {
        Set<Integer> warming = new TreeSet<>();
        partitions.forEach((id, partition) -> {
            if (partition.state() == OwnedPartition.State.WARMING) {
                warming.add(id);
            }
        });
        return warming;
    }

    /** Live subscriptions, for the gauge. */
    public synchronized int subscriptions() {
        return partitions.values().stream().mapToInt(OwnedPartition::sessionCount).sum();
    }

    private synchronized OwnedPartition get(int partition) {
        return partitions.get(partition);
    }
}
