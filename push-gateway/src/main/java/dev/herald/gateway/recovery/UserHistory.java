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
 * The recent events of one partition, indexed by user, bounded by count (for the partition and
 * for each user) and by age. A resume costs its own replay, not the history's length, and a noisy
 * user evicts its own events first. Not thread-safe: the owner guards it.
 *
 * <p>Invariant: for each user, every event of that user with an offset in
 * {@code [coverageStart(user), nextOffset)} is kept. Coverage moves per user: it passes an offset
 * only when that user's event there is evicted. A user without kept events is covered from just
 * after the newest event evicted from the partition (of any user), which may be later than its
 * own but is never too early.
 */
public final class UserHistory {

    private final int maxEntries;
    private final int maxPerUser;
    private final long maxAgeMillis;
    /** Every kept event in offset order, and tombstones of those evicted per user (skipped here). */
    private final ArrayDeque<Slot> order = new ArrayDeque<>();
    private final Map<String, User> users = new HashMap<>();
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

    private static final class User {

        final ArrayDeque<Slot> slots = new ArrayDeque<>();
        long coverageStart;

        User(long coverageStart) {
            this.coverageStart = coverageStart;
        }
    }

    /**
     * @param startOffset where reading starts: the history covers everything from here on
     * @param maxEntries events kept for the partition (its memory bound)
     * @param maxPerUser events kept for one user
     */
    public UserHistory(long startOffset, int maxEntries, int maxPerUser, Duration maxAge) {
        if (maxEntries < 1 || maxPerUser < 1) {
            throw new IllegalArgumentException("maxEntries and maxPerUser must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxPerUser = maxPerUser;
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
        User user = users.computeIfAbsent(entry.userId(), id -> new User(evictedUpTo));
        user.slots.addLast(slot);
        order.addLast(slot);
        size++;
        nextOffset = entry.offset() + 1;
        if (user.slots.size() > maxPerUser) {
            Slot oldest = user.slots.removeFirst();
            oldest.evicted = true;
            size--;
            user.coverageStart = oldest.entry.offset() + 1;
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
        User user = users.get(entry.userId());
        user.slots.removeFirst(); // a user's oldest kept event is the oldest of the partition's that are its
        size--;
        user.coverageStart = entry.offset() + 1;
        if (user.slots.isEmpty()) {
            users.remove(entry.userId()); // its coverage is now at most evictedUpTo, which stands in for it
        }
    }

    /** The offset of the last record read: everything up to it has been seen by this history. */
    public long position() {
        return nextOffset - 1;
    }

    /** The first offset from which every event of {@code userId} is kept. */
    public long coverageStart(String userId) {
        User user = users.get(userId);
        return user == null ? evictedUpTo : Math.max(user.coverageStart, startOffset);
    }

    /** The user's kept events after {@code offset}, oldest first; costs their number, not the history's. */
    public List<HistoryEntry> after(String userId, long offset) {
        User user = users.get(userId);
        if (user == null) {
            return List.of();
        }
        List<HistoryEntry> newestFirst = new ArrayList<>();
        for (Iterator<Slot> it = user.slots.descendingIterator(); it.hasNext();) {
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
