package dev.herald.schema;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * One record on {@code herald.user-events}: a new notification for a user, or a change to the read
 * state of that user's inbox. Keyed by {@link #userId()}, so all of a user's events keep their order.
 *
 * @param eventId unique per event; consumers drop a second copy
 * @param kind what the event does
 * @param userId the recipient, and the Kafka key
 * @param type for notifications, e.g. {@code order.shipped}; null otherwise
 * @param title for notifications; null otherwise
 * @param body for notifications (may be empty); null otherwise
 * @param data for notifications, an optional JSON object; null otherwise
 * @param refs for {@link EventKind#READ}, the eventIds now read; empty otherwise
 * @param occurredAt when the caller says it happened
 * @param acceptedAt when Herald accepted it (the start of end-to-end latency)
 * @param source the name of the API key (or Herald service) that produced it
 * @param schemaVersion the envelope version, {@value #SCHEMA_VERSION} for this code
 * @param channel for {@link EventKind#READ}, the inbox channel whose messages {@code refs} name
 *        (a channel message's eventId is unique only within its channel); null when they name the
 *        user's own notifications, and for every other kind
 * @param actions for notifications, up to {@value NotificationFields#MAX_ACTIONS} buttons; empty
 *        otherwise and when none
 * @param expiresAt for notifications, when it leaves the inbox (its lists and unread count); null
 *        when it never expires, and for every other kind
 */
public record Envelope(
        String eventId,
        EventKind kind,
        String userId,
        String type,
        String title,
        String body,
        JsonNode data,
        List<String> refs,
        Instant occurredAt,
        Instant acceptedAt,
        String source,
        int schemaVersion,
        String channel,
        List<NotificationAction> actions,
        Instant expiresAt) {

    public static final int SCHEMA_VERSION = 1;

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(source, "source");
        refs = refs == null ? List.of() : List.copyOf(refs);
        if (kind != EventKind.READ) {
            channel = null;
        }
        actions = actions == null || kind != EventKind.NOTIFICATION ? List.of() : List.copyOf(actions);
        if (kind != EventKind.NOTIFICATION) {
            expiresAt = null;
        }
    }

    /** An event without actions or expiry, as before notifications had them. */
    public Envelope(String eventId, EventKind kind, String userId, String type, String title, String body, JsonNode data,
            List<String> refs, Instant occurredAt, Instant acceptedAt, String source, int schemaVersion, String channel) {
        this(eventId, kind, userId, type, title, body, data, refs, occurredAt, acceptedAt, source, schemaVersion, channel,
                List.of(), null);
    }

    /** An event of the user's own notifications (no channel), as before channels had inboxes. */
    public Envelope(String eventId, EventKind kind, String userId, String type, String title, String body, JsonNode data,
            List<String> refs, Instant occurredAt, Instant acceptedAt, String source, int schemaVersion) {
        this(eventId, kind, userId, type, title, body, data, refs, occurredAt, acceptedAt, source, schemaVersion, null);
    }

    public static Envelope notification(String eventId, String userId, String type, String title, String body,
            JsonNode data, Instant occurredAt, Instant acceptedAt, String source) {
        return new Envelope(eventId, EventKind.NOTIFICATION, userId, type, title, body, data, List.of(),
                occurredAt, acceptedAt, source, SCHEMA_VERSION);
    }

    /** A notification with buttons ({@code actions}, may be empty) and an expiry ({@code expiresAt}, may be null). */
    public static Envelope notification(String eventId, String userId, String type, String title, String body,
            JsonNode data, Instant occurredAt, Instant acceptedAt, String source, List<NotificationAction> actions,
            Instant expiresAt) {
        return new Envelope(eventId, EventKind.NOTIFICATION, userId, type, title, body, data, List.of(),
                occurredAt, acceptedAt, source, SCHEMA_VERSION, null, actions, expiresAt);
    }

    /** Whether this notification has expired at {@code now}: it is then in no list or count. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }

    public static Envelope read(String eventId, String userId, List<String> refs, Instant at, String source) {
        return new Envelope(eventId, EventKind.READ, userId, null, null, null, null, refs, at, at, source,
                SCHEMA_VERSION);
    }

    /** The user read these messages of an inbox channel ({@code refs} are their eventIds in {@code channel}). */
    public static Envelope readChannel(String eventId, String userId, String channel, List<String> refs, Instant at,
            String source) {
        Objects.requireNonNull(channel, "channel");
        return new Envelope(eventId, EventKind.READ, userId, null, null, null, null, refs, at, at, source,
                SCHEMA_VERSION, channel);
    }

    public static Envelope readAll(String eventId, String userId, Instant at, String source) {
        return new Envelope(eventId, EventKind.READ_ALL, userId, null, null, null, null, List.of(), at, at, source,
                SCHEMA_VERSION);
    }
}
