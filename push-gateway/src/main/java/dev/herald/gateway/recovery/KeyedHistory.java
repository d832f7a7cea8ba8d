package dev.herald.gateway.recovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The recent events of one partition, indexed by key (the user of a user-topic partition, the
 * channel of a channel-topic partition), bounded by count (for the partition and for each key) and
 * by age. A resume costs its own replay, not the history's length, and a noisy user (or channel)
 * evicts its own events first. Not thread-safe: the owner guards it.
 *
 * <p>Invariant: for each key, every event of that key with an offset in
 * {@code [coverageStart(key), nextOffset)} is kept. Coverage moves per key: it passes an offset
 * only when that key's event there is evicted. A key without kept events is covered from just
 * after the newest event evicted from the partition (of any key), which may be later than its
 * own but is never too early.
 */
public final class KeyedHistory {

    private final int maxEntries;
    private final int maxPerKey;
    private final long maxAgeMillis;
    /** Every kept event in offset order, and tombstones of those evicted per key (skipped here). */
    private final ArrayDeque<Slot> order = new ArrayDeque<>();
    private final Map<String, Key> keys = new HashMap<>();
    private final long startOffset;
    private long evictedUpTo;
    private long nextOffset;
    private int size;

    private static final class Slot {

        final HistoryEntry entry;
        boolean evicted;

        Slot(HistoryEntry entry) {
            this.entry = entry;
        }
    }

    private static final class Key {

        final ArrayDeque<Slot> slots = new ArrayDeque<>();
        long coverageStart;

        Key(long coverageStart) {
            this.coverageStart = coverageStart;
        }
    }

    /**
     * @param startOffset where reading starts: the history covers everything from here on
     * @param maxEntries events kept for the partition (its memory bound)
     * @param maxPerKey events kept for one key
     */
    public KeyedHistory(long startOffset, int maxEntries, int maxPerKey, Duration maxAge) {
        if (maxEntries < 1 || maxPerKey < 1) {
            throw new IllegalArgumentException("maxEntries and maxPerKey must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxPerKey = maxPerKey;
        this.maxAgeMillis = maxAge.toMillis();
        this.startOffset = startOffset;
        this.evictedUpTo = startOffset;
        this.nextOffset = startOffset;
    }

    /** Adds the next event; offsets must increase. Evicts what falls out of the count bounds. */
    public void append(HistoryEntry entry) {
        if (entry.offset() < nextOffset) {
            throw new IllegalArgumentException("offset " + entry.offset() + " is before " + nextOffset);
        }
        Slot slot = new Slot(entry);
        Key key = keys.computeIfAbsent(entry.key(), id -> new Key(evictedUpTo));
        key.slots.addLast(slot);
        order.addLast(slot);
        size++;
        nextOffset = entry.offset() + 1;
        if (key.slots.size() > maxPerKey) {
            Slot oldest = key.slots.removeFirst();
            oldest.evicted = true;
            size--;
            key.coverageStart = oldest.entry.offset() + 1;
        }
        // The order holds tombstones too: bounding it bounds the memory.
        while (order.size() > maxEntries) {
            evictFirst();
        }
    }

    /**
     * Notes that the gateway has read up to {@code offset} (exclusive) without keeping anything, e.g.
     * a record it could not decode. Coverage is unaffected: such records are never delivered.
     */
    public void advanceTo(long offset) {
        nextOffset = Math.max(nextOffset, offset);
    }

    /** Drops events older than the age bound. */
    public void evictExpired(long nowMillis) {
        long oldestKept = nowMillis - maxAgeMillis;
        while (!order.isEmpty() && order.peekFirst().entry.timestampMillis() < oldestKept) {
            evictFirst();
        }
    }

    private void evictFirst() {
        Slot first = order.removeFirst();
        if (first.evicted) {
            return;
        }
        HistoryEntry entry = first.entry;
        evictedUpTo = Math.max(evictedUpTo, entry.offset() + 1);
        Key key = keys.get(entry.key());
        key.slots.removeFirst(); // a key's oldest kept event is the oldest of the partition's that are its
        size--;
        key.coverageStart = entry.offset() + 1;
        if (key.slots.isEmpty()) {
            keys.remove(entry.key()); // its coverage is now at most evictedUpTo, which stands in for it
        }
    }

    /** The offset of the last record read: everything up to it has been seen by this history. */
    public long position() {
        return nextOffset - 1;
    }

    /** The first offset from which every event of {@code key} is kept. */
    public long coverageStart(String key) {
        Key kept = keys.get(key);
        return kept == null ? evictedUpTo : Math.max(kept.coverageStart, startOffset);
    }

    /** The key's kept events after {@code offset}, oldest first; costs their number, not the history's. */
    public List<HistoryEntry> after(String key, long offset) {
        Key kept = keys.get(key);
        if (kept == null) {
            return List.of();
        }
        List<HistoryEntry> newestFirst = new ArrayList<>();
        for (Iterator<Slot> it = kept.slots.descendingIterator(); it.hasNext();) {
            HistoryEntry entry = it.next().entry;
            if (entry.offset() <= offset) {
                break;
            }
            newestFirst.add(entry);
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /** Events kept. */
    public int size() {
        return size;
    }
}
