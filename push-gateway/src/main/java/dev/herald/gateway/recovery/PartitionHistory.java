package dev.herald.gateway.recovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.herald.schema.Cursor;

/**
 * The recent events of one partition, bounded by count and by age, and what a cursor can resume
 * from them. Not thread-safe: the owner guards it with the partition's lock.
 *
 * <p>Invariant: every record of the partition with an offset in {@code [coverageStart, nextOffset)}
 * that the gateway delivers is in {@link #entries}. A cursor names the last event a client has, so
 * it can resume without a gap exactly when {@code cursor.offset + 1 >= coverageStart}.
 */
public final class PartitionHistory {

    private final int partition;
    private final int maxEntries;
    private final long maxAgeMillis;
    private final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
    private long coverageStart;
    private long nextOffset;

    /**
     * @param startOffset where reading starts: the history covers everything from here on
     */
    public PartitionHistory(int partition, long startOffset, int maxEntries, Duration maxAge) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.partition = partition;
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAge.toMillis();
        this.coverageStart = startOffset;
        this.nextOffset = startOffset;
    }

    /** Adds the next event; offsets must increase. Evicts what falls out of the count bound. */
    public void append(HistoryEntry entry) {
        if (entry.offset() < nextOffset) {
            throw new IllegalArgumentException("offset " + entry.offset() + " is before " + nextOffset);
        }
        entries.addLast(entry);
        nextOffset = entry.offset() + 1;
        while (entries.size() > maxEntries) {
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
        while (!entries.isEmpty() && entries.peekFirst().timestampMillis() < oldestKept) {
            evictFirst();
        }
    }

    private void evictFirst() {
        coverageStart = entries.removeFirst().offset() + 1;
    }

    /** The cursor of the last record read: everything up to it has been seen by this history. */
    public Cursor position() {
        return new Cursor(partition, nextOffset - 1);
    }

    /** The oldest cursor that can still resume without a gap. */
    public Cursor oldestResumable() {
        return new Cursor(partition, coverageStart - 1);
    }

    public int size() {
        return entries.size();
    }

    /**
     * What {@code userId} gets when it connects with {@code since} (null: from now on). The user
     * must belong to this partition; a cursor of another partition means the partition count
     * changed or the cursor is not this user's, so it cannot be trusted.
     */
    public Resume resume(String userId, Cursor since, long nowMillis) {
        evictExpired(nowMillis);
        if (since == null) {
            return new Resume.Replay(List.of(), nextOffset - 1);
        }
        if (since.partition() != partition) {
            return new Resume.Resync("the cursor is of partition " + since.partition() + " but the user's partition is "
                    + partition);
        }
        if (since.offset() + 1 < coverageStart) {
            return new Resume.Resync("the cursor is older than the gateway's history, which resumes from "
                    + oldestResumable());
        }
        List<HistoryEntry> missed = new ArrayList<>();
        // Newest first would find the start quicker, but replays are short and this keeps it plain.
        for (Iterator<HistoryEntry> it = entries.iterator(); it.hasNext();) {
            HistoryEntry entry = it.next();
            if (entry.offset() > since.offset() && entry.userId().equals(userId)) {
                missed.add(entry);
            }
        }
        // A cursor ahead of what this gateway has read (e.g. just returned by producer-api) is fine:
        // the session then skips live events up to it, so nothing arrives twice.
        return new Resume.Replay(missed, Math.max(since.offset(), nextOffset - 1));
    }
}
