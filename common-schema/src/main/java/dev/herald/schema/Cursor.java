package dev.herald.schema;

/**
 * A position in a user's stream: the Kafka partition and the offset of the last event it covers.
 * Clients see it as an opaque string such as {@code "7-10452"}; "since this cursor" means every
 * event of the partition with a greater offset. Offset {@code -1} is the position before the first
 * record of a partition.
 */
public record Cursor(int partition, long offset) implements Comparable<Cursor> {

    public Cursor {
        if (partition < 0) {
            throw new MalformedCursorException("partition must not be negative");
        }
        if (offset < -1) {
            throw new MalformedCursorException("offset must be -1 or more");
        }
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
        if (text.length() > 32) {
            throw new MalformedCursorException("is too long");
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new MalformedCursorException("must look like <partition>-<offset>, e.g. 7-10452");
        }
        try {
            return new Cursor(Integer.parseInt(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        }
        catch (NumberFormatException ex) {
            throw new MalformedCursorException("must look like <partition>-<offset>, e.g. 7-10452");
        }
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
        return partition + "-" + offset;
    }

    /** A cursor string that cannot be understood. */
    public static final class MalformedCursorException extends IllegalArgumentException {

        public MalformedCursorException(String reason) {
            super("cursor " + reason);
        }
    }
}
