package dev.herald.gateway.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.herald.schema.Cursor;

import org.springframework.stereotype.Component;

/**
 * The partitions this gateway owns now, and the sessions waiting for a partition that is being
 * assigned to it. Lock order: this registry, then a {@link Partition}; never the other way.
 */
@Component
public class PartitionRegistry {

    private final Map<Integer, Partition> owned = new HashMap<>();
    private final Map<Subscriber, Parked> parked = new HashMap<>();
    private boolean shutDown;

    private record Parked(int partition, Cursor since) {
    }

    /** What became of a session that asked to attach. */
    public enum Attach {
        /** Served (or waiting for the partition's history to warm). */
        ATTACHED,
        /** This gateway does not own the partition. */
        NOT_OWNED,
        /** The gateway is shutting down. */
        SHUT_DOWN
    }

    public synchronized Attach attachIfOwned(Subscriber subscriber, int partition, Cursor since) {
        if (shutDown) {
            return Attach.SHUT_DOWN;
        }
        Partition owner = owned.get(partition);
        if (owner == null) {
            return Attach.NOT_OWNED;
        }
        owner.attach(subscriber, since, System.currentTimeMillis());
        return Attach.ATTACHED;
    }

    /**
     * Attaches the session if its partition arrived meanwhile, else keeps it until the partition is
     * assigned here or {@link #unpark} gives up on it. Kafka may list this gateway as the owner a
     * moment before the consumer's callback runs, so a client sent here must not bounce.
     */
    public synchronized Attach park(Subscriber subscriber, int partition, Cursor since) {
        Attach now = attachIfOwned(subscriber, partition, since);
        if (now == Attach.NOT_OWNED) {
            parked.put(subscriber, new Parked(partition, since));
        }
        return now;
    }

    public synchronized boolean isParked(Subscriber subscriber) {
        return parked.containsKey(subscriber);
    }

    /** True if the session was still waiting (it is no longer). */
    public synchronized boolean unpark(Subscriber subscriber) {
        return parked.remove(subscriber) != null;
    }

    public void detach(Subscriber subscriber, int partition) {
        Partition owner;
        synchronized (this) {
            parked.remove(subscriber);
            owner = owned.get(partition);
        }
        if (owner != null) {
            owner.detach(subscriber);
        }
    }

    synchronized void assigned(Partition partition) {
        owned.put(partition.id(), partition);
        long now = System.currentTimeMillis();
        parked.entrySet().removeIf(entry -> {
            if (entry.getValue().partition() != partition.id()) {
                return false;
            }
            partition.attach(entry.getKey(), entry.getValue().since(), now);
            return true;
        });
    }

    /** Removes the partition; its sessions are returned for the caller to move elsewhere. */
    synchronized List<Subscriber> revoked(int partition) {
        Partition gone = owned.remove(partition);
        return gone == null ? List.of() : gone.release();
    }

    /** Refuses new sessions and returns every session, to be closed as the gateway goes away. */
    synchronized List<Subscriber> shutDown() {
        shutDown = true;
        List<Subscriber> all = new ArrayList<>(parked.keySet());
        parked.clear();
        owned.values().forEach(partition -> all.addAll(partition.release()));
        owned.clear();
        return all;
    }

    synchronized Partition get(int partition) {
        return owned.get(partition);
    }

    synchronized List<Partition> partitions() {
        return new ArrayList<>(owned.values());
    }

    /** Owned partitions whose history is still being read from Kafka (their sessions wait). */
    synchronized Set<Integer> warmingPartitions() {
        Set<Integer> warming = new TreeSet<>();
        owned.forEach((id, partition) -> {
            if (!partition.isReady()) {
                warming.add(id);
            }
        });
        return warming;
    }

    public synchronized Set<Integer> ownedPartitions() {
        return new TreeSet<>(owned.keySet());
    }
}
