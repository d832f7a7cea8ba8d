package dev.herald.schema;

/** Kafka names shared by every module. */
public final class Topics {

    /** Every user-facing event, keyed by user id, so one user's events share a partition and an order. */
    public static final String USER_EVENTS = "herald.user-events";

    /** Records that could not be processed, with the reason in {@link #DLT_REASON_HEADER}. */
    public static final String USER_EVENTS_DLT = USER_EVENTS + ".DLT";

    /** Messages to channels, keyed by channel, so a channel's messages share a partition and an order. */
    public static final String CHANNEL_EVENTS = "herald.channel-events";

    /** Channel records that could not be processed, with the reason in {@link #DLT_REASON_HEADER}. */
    public static final String CHANNEL_EVENTS_DLT = CHANNEL_EVENTS + ".DLT";

    /**
     * Delivery receipts ({@link Receipt}: delivered, seen), keyed by user id and partitioned like
     * {@link #USER_EVENTS}, so a user's receipts share the partition number of the user's events.
     */
    public static final String RECEIPTS = "herald.receipts";

    /** Alerts of the store's receipt tracker (not delivered / unseen in time), keyed by user id. */
    public static final String RECEIPT_ALERTS = "herald.receipt-alerts";

    /**
     * Each user's latest preference set, keyed by user id like {@link #USER_EVENTS} and with as many
     * partitions, so partition p holds the users of partition p; compacted, so it keeps the latest
     * set of every user. Written by the store after it applied a {@code preferences} event; read by
     * gateways when they take a partition.
     */
    public static final String PREFERENCES = "herald.preferences";

    public static final String STORE_GROUP = "herald-store";

    /** The store's receipt tracker, on {@link #USER_EVENTS} and {@link #RECEIPTS}, apart from the inbox's group. */
    public static final String STORE_RECEIPTS_GROUP = "herald-store-receipts";

    /** The store's group on {@link #CHANNEL_EVENTS} (channel history), apart from its user-events group. */
    public static final String STORE_CHANNELS_GROUP = "herald-store-channels";

    public static final String GATEWAY_GROUP = "herald-gateway";

    public static final String DLT_REASON_HEADER = "herald.dlt.reason";

    public static final String DLT_SOURCE_PARTITION_HEADER = "herald.dlt.source-partition";

    public static final String DLT_SOURCE_OFFSET_HEADER = "herald.dlt.source-offset";

    private Topics() {
    }
}
