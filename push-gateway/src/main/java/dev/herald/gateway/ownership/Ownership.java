package dev.herald.gateway.ownership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.KeyedHistory;
import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.CloseCodes;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one home of partition ownership on this gateway. A partition's life here: not owned, with
 * sessions <em>parked</em> for it because Kafka may name this gateway a moment before its callback
 * runs; <em>owned</em> ({@link OwnedPartition}: warming, then serving); <em>handing off</em> once
 * revoked, its sessions kept until the group names the new owner (closed with 4001 and its URL),
 * or closed with 1001 after {@code assignment-wait}. The consumer only reports Kafka's callbacks
 * and records here; sessions only {@link #attach} and {@link #detach}.
 *
 * <p>A ticker thread moves parked and handed-off sessions along and expires cursors that waited
 * too long for the log. It reads routes from {@link GroupOwnership}'s cache and only asks for a
 * refresh in the background: no thread here waits for Kafka. Lock order: this, then a partition.
 */
@Component
public class Ownership implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Ownership.class);
    private static final long TICK_MILLIS = 100;
    private static final Duration ROUTES_STALE_AFTER = Duration.ofMillis(250);

    private final GatewayProperties properties;
    private final GroupOwnership routes;
    private final LocalGateway local;
    private final DeliveryReceipts receipts;
    private final Map<Integer, OwnedPartition> owned = new HashMap<>();
    private final Map<Subscriber, Parked> parked = new HashMap<>();
    private final List<Handoff> handoffs = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-gateway-ownership");
        thread.setDaemon(true);
        return thread;
    });
    private boolean shutDown;

    private record Parked(int partition, Cursor since, long deadlineMillis) {
    }

    private record Handoff(int partition, List<Subscriber> sessions, long deadlineMillis) {
    }

    /** A close to send once the lock is released. */
    private record Close(Subscriber session, int code, String reason) {

        void send() {
            session.close(code, reason);
        }
    }

    Ownership(GatewayProperties properties, GroupOwnership routes, LocalGateway local, DeliveryReceipts receipts) {
        this.receipts = receipts;
        this.properties = properties;
        this.routes = routes;
        this.local = local;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    // ---- what sessions see

    /**
     * Serves the session from its partition if this gateway owns it (now, or once warm); sends it
     * to the owner (4001) if another gateway does; else parks it until the partition is assigned
     * here, another gateway is named, or {@code assignment-wait} passes (1013).
     */
    public void attach(Subscriber session, int partition, Cursor since) {
        Close close = null;
        synchronized (this) {
            OwnedPartition owner = owned.get(partition);
            if (shutDown) {
                close = new Close(session, CloseCodes.GOING_AWAY, "gateway shutting down");
            }
            else if (owner != null) {
                owner.attach(session, since, System.currentTimeMillis());
            }
            else {
                Optional<String> elsewhere = otherOwner(partition);
                if (elsewhere.isPresent()) {
                    close = new Close(session, CloseCodes.MOVED, elsewhere.get());
                }
                else {
                    parked.put(session, new Parked(partition, since,
                            System.currentTimeMillis() + properties.assignmentWait().toMillis()));
                    routes.refreshIfOlderThan(ROUTES_STALE_AFTER);
                }
            }
        }
        if (close != null) {
            close.send();
        }
    }

    public void detach(Subscriber session, int partition) {
        OwnedPartition owner;
        synchronized (this) {
            parked.remove(session);
            handoffs.forEach(handoff -> handoff.sessions().remove(session));
            owner = owned.get(partition);
        }
        if (owner != null) {
            owner.detach(session);
        }
    }

    // ---- what the consumer reports

    /** A partition was assigned and will be read from {@code start}; it serves once read up to {@code warmTarget}. */
    public synchronized void assigned(int partition, String epoch, long start, long warmTarget) {
        OwnedPartition owner = new OwnedPartition(partition, epoch, new KeyedHistory(start, properties.historySize(),
                properties.historyPerUser(), properties.historyAge()), warmTarget, OwnedPartition.AHEAD_WAIT.toMillis(),
                receipts);
        owned.put(partition, owner);
        long now = System.currentTimeMillis();
        owner.caughtUp(start, now);
        for (Iterator<Map.Entry<Subscriber, Parked>> it = parked.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Subscriber, Parked> next = it.next();
            if (next.getValue().partition() == partition) {
                owner.attach(next.getKey(), next.getValue().since(), now);
                it.remove();
            }
        }
    }

    public void append(int partition, HistoryEntry entry) {
        OwnedPartition owner = get(partition);
        if (owner != null) {
            owner.append(entry, System.currentTimeMillis());
        }
    }

    /** Records up to {@code nextOffset} (exclusive) were read but not kept (they cannot be delivered). */
    public void skipped(int partition, long nextOffset) {
        OwnedPartition owner = get(partition);
        if (owner != null) {
            owner.skipped(nextOffset);
        }
    }

    /** The consumer's position in {@code partition}; a warming partition that reached its target is served. */
    public void position(int partition, long position) {
        OwnedPartition owner = get(partition);
        if (owner != null) {
            boolean warming = owner.state() == OwnedPartition.State.WARMING;
            owner.caughtUp(position, System.currentTimeMillis());
            if (warming && owner.state() == OwnedPartition.State.SERVING) {
                log.info("Partition {} is warm ({} events of history) and served", partition, owner.historySize());
            }
        }
    }

    /** The partition moved away: its sessions wait until the group names their new owner. */
    public synchronized void revoked(int partition) {
        OwnedPartition gone = owned.remove(partition);
        if (gone != null) {
            List<Subscriber> sessions = gone.release();
            if (!sessions.isEmpty()) {
                handoffs.add(new Handoff(partition, sessions,
                        System.currentTimeMillis() + properties.assignmentWait().toMillis()));
            }
        }
    }

    /** Refuses new sessions and returns every session, to be closed as the gateway goes away. */
    public List<Subscriber> shutDown() {
        synchronized (this) {
            shutDown = true;
            List<Subscriber> all = new ArrayList<>(parked.keySet());
            parked.clear();
            handoffs.forEach(handoff -> all.addAll(handoff.sessions()));
            handoffs.clear();
            owned.values().forEach(partition -> all.addAll(partition.release()));
            owned.clear();
            return all;
        }
    }

    // ---- what health and metrics read

    public synchronized Set<Integer> ownedPartitions() {
        return new TreeSet<>(owned.keySet());
    }

    /** Owned partitions whose history is still being read, to the offset each must reach. */
    public synchronized Map<Integer, Long> warmingPartitions() {
        Map<Integer, Long> warming = new TreeMap<>();
        owned.forEach((id, partition) -> {
            if (partition.state() == OwnedPartition.State.WARMING) {
                warming.put(id, partition.warmTarget());
            }
        });
        return warming;
    }

    private synchronized OwnedPartition get(int partition) {
        return owned.get(partition);
    }

    /** The owner the group names, if it is not this gateway (cached: never waits for Kafka). */
    private Optional<String> otherOwner(int partition) {
        return routes.cached().ownerOf(partition).filter(url -> !url.equals(local.publicUrl()));
    }

    private void tick() {
        try {
            List<Close> closes = new ArrayList<>();
            List<OwnedPartition> partitions;
            long now = System.currentTimeMillis();
            synchronized (this) {
                movePending(now, closes);
                partitions = new ArrayList<>(owned.values());
            }
            closes.forEach(Close::send);
            partitions.forEach(partition -> partition.tick(now));
        }
        catch (RuntimeException ex) {
            log.warn("The ownership tick failed; it runs again in {} ms", TICK_MILLIS, ex);
        }
    }

    private void movePending(long now, List<Close> closes) {
        if (parked.isEmpty() && handoffs.isEmpty()) {
            return;
        }
        routes.refreshIfOlderThan(ROUTES_STALE_AFTER);
        for (Iterator<Map.Entry<Subscriber, Parked>> it = parked.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Subscriber, Parked> next = it.next();
            int partition = next.getValue().partition();
            Optional<String> elsewhere = otherOwner(partition);
            if (elsewhere.isPresent()) {
                closes.add(new Close(next.getKey(), CloseCodes.MOVED, elsewhere.get()));
                it.remove();
            }
            else if (now >= next.getValue().deadlineMillis()) {
                closes.add(new Close(next.getKey(), CloseCodes.TRY_AGAIN_LATER,
                        "partition " + partition + " has no gateway yet; ask /v1/route again"));
                it.remove();
            }
        }
        for (Iterator<Handoff> it = handoffs.iterator(); it.hasNext();) {
            Handoff handoff = it.next();
            Optional<String> owner = routes.cached().ownerOf(handoff.partition());
            if (owner.isPresent()) {
                log.info("Moving {} sessions of partition {} to {}", handoff.sessions().size(), handoff.partition(),
                        owner.get());
                handoff.sessions().forEach(session -> closes.add(new Close(session, CloseCodes.MOVED, owner.get())));
                it.remove();
            }
            else if (now >= handoff.deadlineMillis()) {
                log.info("Partition {} has no owner after the rebalance; closing its {} sessions with 1001",
                        handoff.partition(), handoff.sessions().size());
                handoff.sessions().forEach(session -> closes.add(new Close(session, CloseCodes.GOING_AWAY, "rebalancing")));
                it.remove();
            }
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }
}
