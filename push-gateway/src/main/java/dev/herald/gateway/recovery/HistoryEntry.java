package dev.herald.gateway.recovery;

/**
 * One event the gateway read from its partition, kept for resume.
 *
 * @param offset the event's Kafka offset (its cursor within the partition)
 * @param key whose event it is: the recipient, or the channel
 * @param timestampMillis the record timestamp, for the age bound
 * @param type the frame type (notification, read or message)
 * @param frame the event's server frame, serialized once and shared by every session
 * @param notificationId for a user's notification, its eventId (what a {@code delivered} receipt
 *        names); null for every other frame
 */
public record HistoryEntry(long offset, String key, long timestampMillis, String type, String frame, String notificationId) {

    /** An entry no receipt is reported for (reads, channel messages). */
    public HistoryEntry(long offset, String key, long timestampMillis, String type, String frame) {
        this(offset, key, timestampMillis, type, frame, null);
    }
}
