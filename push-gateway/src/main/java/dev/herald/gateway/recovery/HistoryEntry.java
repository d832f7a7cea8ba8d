package dev.herald.gateway.recovery;

/**
 * One event the gateway read from its partition, kept for resume.
 *
 * @param offset the event's Kafka offset (its cursor within the partition)
 * @param key whose event it is: the recipient, or the channel
 * @param timestampMillis the record timestamp, for the age bound
 * @param type the frame type (notification, read or message)
 * @param frame the event's server frame, serialized once and shared by every session
 */
public record HistoryEntry(long offset, String key, long timestampMillis, String type, String frame) {
}
