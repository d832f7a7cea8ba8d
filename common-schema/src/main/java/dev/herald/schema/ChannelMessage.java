package dev.herald.schema;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * One record on {@code herald.channel-events}: a message to every subscriber of a channel, stored
 * once. Keyed by {@link #channel()}, so a channel's messages keep their order and one cursor.
 *
 * @param eventId unique per channel and source; subscribers drop a second copy
 * @param channel the channel (see {@link Channels}), and the Kafka key
 * @param type e.g. {@code system.maintenance}
 * @param title the headline
 * @param body the text (may be empty)
 * @param data an optional JSON object
 * @param occurredAt when the caller says it happened
 * @param acceptedAt when Herald accepted it
 * @param source the name of the API key that sent it
 * @param schemaVersion the record's version, {@value #SCHEMA_VERSION} for this code
 * @param actions up to {@value NotificationFields#MAX_ACTIONS} buttons, empty when none
 * @param expiresAt when it leaves inboxes and history; null when it never expires
 */
public record ChannelMessage(String eventId, String channel, String type, String title, String body, JsonNode data,
        Instant occurredAt, Instant acceptedAt, String source, int schemaVersion, List<NotificationAction> actions,
        Instant expiresAt) {

    public static final int SCHEMA_VERSION = 1;

    public ChannelMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(source, "source");
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    /** A message without actions or expiry, as before messages had them. */
    public ChannelMessage(String eventId, String channel, String type, String title, String body, JsonNode data,
            Instant occurredAt, Instant acceptedAt, String source, int schemaVersion) {
        this(eventId, channel, type, title, body, data, occurredAt, acceptedAt, source, schemaVersion, List.of(), null);
    }

    /** A message with buttons ({@code actions}, may be empty) and an expiry ({@code expiresAt}, may be null). */
    public static ChannelMessage of(String eventId, String channel, String type, String title, String body, JsonNode data,
            Instant occurredAt, Instant acceptedAt, String source, List<NotificationAction> actions, Instant expiresAt) {
        return new ChannelMessage(eventId, channel, type, title, body, data, occurredAt, acceptedAt, source,
                SCHEMA_VERSION, actions, expiresAt);
    }

    public static ChannelMessage of(String eventId, String channel, String type, String title, String body, JsonNode data,
            Instant occurredAt, Instant acceptedAt, String source) {
        return new ChannelMessage(eventId, channel, type, title, body, data, occurredAt, acceptedAt, source,
                SCHEMA_VERSION);
    }
}
