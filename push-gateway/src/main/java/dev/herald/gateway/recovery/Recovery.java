package dev.herald.gateway.recovery;

import dev.herald.schema.Cursor;

/**
 * How a session resumes, as pure functions of positions: where a newly owned partition starts
 * reading, and what a cursor can resume from. No state, no Kafka, no clock: every input is a
 * number the caller read.
 */
public final class Recovery {

    private Recovery() {
    }

    /**
     * Where reading an assigned partition starts: the last {@code historySize} records that are not
     * older than the history's age bound, within what the log still holds.
     *
     * @param beginning the log's first offset
     * @param end the log's end offset (the next record's)
     * @param firstYoungEnough the first offset young enough to keep, or null when no record is
     */
    public static long warmStart(long beginning, long end, int historySize, Long firstYoungEnough) {
        return Math.max(beginning, Math.max(end - historySize, firstYoungEnough == null ? end : firstYoungEnough));
    }

    /** What a cursor resumes from; see {@link #decide}. */
    public sealed interface Decision {
    }

    /** Everything of the user after {@code replayAfter} follows: replayed from history, then live. */
    public record Replay(long replayAfter) implements Decision {
    }

    /**
     * The history cannot give all the client misses: it fills {@code (from, to]} from the inbox
     * while the session goes on with everything after {@code to}.
     *
     * @param from the last position the client has; null when its cursor cannot be trusted at all
     */
    public record Gap(Cursor from, long to, String reason) implements Decision {
    }

    /** The cursor is ahead of what this gateway has read: wait for the log to reach it. */
    public record Wait() implements Decision {
    }

    /**
     * What {@code since} can resume from.
     *
     * @param since the client's cursor, or null for "from now on"
     * @param partition the user's partition
     * @param epoch the topic's current epoch, or null if unknown
     * @param position the offset of the last record the gateway has read in the partition
     * @param coverageStart the first offset from which the history holds every event of this user
     * @param waitedEnough whether a cursor ahead of {@code position} has already waited its time
     */
    public static Decision decide(Cursor since, int partition, String epoch, long position, long coverageStart,
            boolean waitedEnough) {
        if (since == null) {
            return new Replay(position);
        }
        if (since.partition() != partition) {
            return new Gap(null, position, "the cursor is of partition " + since.partition()
                    + " but the user's partition is " + partition);
        }
        if (!since.mayBeOf(epoch)) {
            return new Gap(null, position, "the cursor is of topic epoch " + since.epoch() + ", not the current "
                    + epoch + " (the topic was recreated, or the cursor is of another environment)");
        }
        if (since.offset() > position) {
            // Just written (a 202's cursor) while this gateway has not read it yet, or a cursor
            // the log never reached: only the log's progress tells them apart.
            return waitedEnough ? new Gap(null, position, "the cursor " + since + " is ahead of the log, which ends at "
                    + new Cursor(partition, position, epoch)) : new Wait();
        }
        if (since.offset() + 1 < coverageStart) {
            return new Gap(since, coverageStart - 1, "the cursor is older than the gateway's history, which resumes from "
                    + new Cursor(partition, coverageStart - 1, epoch));
        }
        return new Replay(since.offset());
    }
}
