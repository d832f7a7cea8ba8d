package dev.herald.schema;

/**
 * A position in a user's stream: the Kafka partition and the offset of the last event it covers,
 * and the epoch of the topic it was read from. Clients see it as an opaque string such as
 * {@code "7-10452@Xk3fQ9aB"}; "since this cursor" means every event of the partition with a greater
 * offset. Offset {@code -1} is the position before the first record of a partition.
 *
 * <p>The epoch names one incarnation of {@code herald.user-events} (a prefix of its Kafka topic
 * id), so a cursor from a deleted and recreated topic, or from another environment, is told apart
 * from a current one instead of muting events until the new log reaches its offset. It is null on
 * cursors written before epochs existed ({@code "7-10452"}), which are checked by offset alone.
 * Order and {@link #isAfter} ignore the epoch: only cursors of one epoch should be compared.
 */
public record Cursor(int partition, long offset, String epoch) implements Comparable<Cursor> {

    private static final int MAX_EPOCH_LENGTH = 22;
    private static final String FORM = "must look like <partition>-<offset>[@<epoch>], e.g. 7-10452@Xk3fQ9aB";

    public Cursor {
        if (partition < 0) {
            throw new MalformedCursorException("partition must not be negative");
        }
        if (offset < -1) {
            throw new MalformedCursorException("offset must be -1 or more");
        }
        if (epoch != null && !isEpochForm(epoch)) {
            throw new MalformedCursorException("epoch must be 1-22 characters of A-Z, a-z, 0-9, _ and -");
        }
    }

    /** {@code [A-Za-z0-9_-]{1,22}}, without a regular expression: a cursor is made for every event. */
    private static boolean isEpochForm(String epoch) {
        if (epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH) {
            return false;
        }
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            if (!NotificationFields.isAsciiLetterOrDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** A cursor without an epoch (of an unknown incarnation of the topic). */
    public Cursor(int partition, long offset) {
        this(partition, offset, null);
    }

    /** The position before everything in {@code partition}. */
    public static Cursor beforeStart(int partition) {
        return new Cursor(partition, -1);
    }

    /** Parses the string form; throws {@link MalformedCursorException} with a reason on any bad input. */
    public static Cursor parse(String text) {
        if (text == null || text.isBlank()) {
            throw new MalformedCursorException("must not be empty");
        }
        if (text.length() > 64) {
            throw new MalformedCursorException("is too long");
        }
        int at = text.indexOf('@');
        String position = at < 0 ? text : text.substring(0, at);
        String epoch = at < 0 ? null : text.substring(at + 1);
        int dash = position.indexOf('-');
        if (dash <= 0 || dash == position.length() - 1) {
            throw new MalformedCursorException(FORM);
        }
        try {
            return new Cursor(Integer.parseInt(position.substring(0, dash)), Long.parseLong(position.substring(dash + 1)),
                    epoch);
        }
        catch (NumberFormatException ex) {
            throw new MalformedCursorException(FORM);
        }
    }

    /** The same position, stamped with {@code epoch}. */
    public Cursor withEpoch(String epoch) {
        return new Cursor(partition, offset, epoch);
    }

    /**
     * Whether this cursor may be of the topic incarnation {@code current}: true when either epoch
     * is unknown, as nothing then says otherwise.
     */
    public boolean mayBeOf(String current) {
        return epoch == null || current == null || epoch.equals(current);
    }

    /** Whether this cursor is in the same partition and strictly later than {@code other}. */
    public boolean isAfter(Cursor other) {
        return partition == other.partition && offset > other.offset;
    }

    @Override
    public int compareTo(Cursor other) {
        int byPartition = Integer.compare(partition, other.partition);
        return byPartition != 0 ? byPartition : Long.compare(offset, other.offset);
    }

    @Override
    public String toString() {
        return epoch == null ? partition + "-" + offset : partition + "-" + offset + "@" + epoch;
    }

    /** A cursor string that cannot be understood. */
    public static final class MalformedCursorException extends IllegalArgumentException {

        public MalformedCursorException(String reason) {
            super("cursor " + reason);
        }
    }
}
