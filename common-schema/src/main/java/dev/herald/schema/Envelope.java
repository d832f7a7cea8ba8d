package dev.herald.schema;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * One record on {@code herald.user-events}: a new notification for a user, or a change to the state
 * (read, seen, archived) of items of that user's inbox. Keyed by {@link #userId()}, so all of a user's events keep their order.
 *
 * @param eventId unique per event; consumers drop a second copy
 * @param kind what the event does
 * @param userId the recipient, and the Kafka key
 * @param type for notifications, e.g. {@code order.shipped}; null otherwise
 * @param title for notifications; null otherwise
 * @param body for notifications (may be empty); null otherwise
 * @param data for notifications, an optional JSON object; null otherwise
 * @param refs for the kinds that name notifications ({@link EventKind#hasRefs()}: read, seen,
 *        archive, unarchive), the eventIds the change is about; empty otherwise
 * @param occurredAt when the caller says it happened
 * @param acceptedAt when Herald accepted it (the start of end-to-end latency)
 * @param source the name of the API key (or Herald service) that produced it
 * @param schemaVersion the envelope version, {@value #SCHEMA_VERSION} for this code
 * @param channel for the kinds with {@code refs}, the inbox channel whose messages {@code refs} name
 *        (a channel message's eventId is unique only within its channel); null when they name the
 *        user's own notifications, and for every other kind
 * @param scope for {@link EventKind#ARCHIVE_ALL}, which notifications it archives ({@link ArchiveScope#ALL}
 *        when not given); null for every other kind
 * @param preferences for {@link EventKind#PREFERENCES}, the user's whole preference set from now on;
 *        null for every other kind
 * @param critical for notifications, whether it bypasses the user's mutes; false for every other kind
 * @param actions for notifications, up to {@value NotificationFields#MAX_ACTIONS} buttons; empty
 *        otherwise and when none
 * @param expiresAt for notifications, when it leaves the inbox (its lists and unread count); null
 *        when it never expires, and for every other kind
 * @param tags for notifications, the labels set at send time (at most {@value NotificationFields#MAX_TAGS},
 *        unique, each like a type word); empty otherwise and when none
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
        ArchiveScope scope,
        Preferences preferences,
        boolean critical,
        List<NotificationAction> actions,
        Instant expiresAt,
        List<String> tags) {

    public static final int SCHEMA_VERSION = 1;

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(source, "source");
        refs = refs == null ? List.of() : List.copyOf(refs);
        if (!kind.hasRefs()) {
            channel = null;
        }
        scope = kind != EventKind.ARCHIVE_ALL ? null : scope == null ? ArchiveScope.ALL : scope;
        if (kind == EventKind.PREFERENCES) {
            Objects.requireNonNull(preferences, "preferences");
        }
        else {
            preferences = null;
        }
        critical = critical && kind == EventKind.NOTIFICATION;
        actions = actions == null || kind != EventKind.NOTIFICATION ? List.of() : List.copyOf(actions);
        if (kind != EventKind.NOTIFICATION) {
            expiresAt = null;
        }
        tags = tags == null || kind != EventKind.NOTIFICATION ? List.of() : List.copyOf(tags);
    }

    /** An event without tags, as before notifications had them. */
    public Envelope(String eventId, EventKind kind, String userId, String type, String title, String body, JsonNode data,
            List<String> refs, Instant occurredAt, Instant acceptedAt, String source, int schemaVersion, String channel,
            ArchiveScope scope, Preferences preferences, boolean critical, List<NotificationAction> actions,
            Instant expiresAt) {
        this(eventId, kind, userId, type, title, body, data, refs, occurredAt, acceptedAt, source, schemaVersion, channel,
                scope, preferences, critical, actions, expiresAt, List.of());
    }

    /** An event without an archive scope, preferences, actions or expiry, and not critical, as before those existed. */
    public Envelope(String eventId, EventKind kind, String userId, String type, String title, String body, JsonNode data,
            List<String> refs, Instant occurredAt, Instant acceptedAt, String source, int schemaVersion, String channel) {
        this(eventId, kind, userId, type, title, body, data, refs, occurredAt, acceptedAt, source, schemaVersion, channel,
                null, null, false, List.of(), null);
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
        return notification(eventId, userId, type, title, body, data, occurredAt, acceptedAt, source, false, actions,
                expiresAt);
    }

    /** A notification with every optional part: mutes bypassed when {@code critical}, buttons, an expiry. */
    public static Envelope notification(String eventId, String userId, String type, String title, String body,
            JsonNode data, Instant occurredAt, Instant acceptedAt, String source, boolean critical,
            List<NotificationAction> actions, Instant expiresAt) {
        return new Envelope(eventId, EventKind.NOTIFICATION, userId, type, title, body, data, List.of(),
                occurredAt, acceptedAt, source, SCHEMA_VERSION, null, null, null, critical, actions, expiresAt);
    }

    /** A notification with the tags set at send time ({@code tags}, may be empty). */
    public static Envelope notification(String eventId, String userId, String type, String title, String body,
            JsonNode data, Instant occurredAt, Instant acceptedAt, String source, List<String> tags) {
        return notification(eventId, userId, type, title, body, data, occurredAt, acceptedAt, source, false, List.of(),
                null, tags);
    }

    /** A notification with every optional part, and the tags set at send time. */
    public static Envelope notification(String eventId, String userId, String type, String title, String body,
            JsonNode data, Instant occurredAt, Instant acceptedAt, String source, boolean critical,
            List<NotificationAction> actions, Instant expiresAt, List<String> tags) {
        return new Envelope(eventId, EventKind.NOTIFICATION, userId, type, title, body, data, List.of(),
                occurredAt, acceptedAt, source, SCHEMA_VERSION, null, null, null, critical, actions, expiresAt, tags);
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

    /** The user has seen these notifications (or, with {@code channel}, these messages of an inbox channel). */
    public static Envelope seen(String eventId, String userId, String channel, List<String> refs, Instant at,
            String source) {
        return withRefs(EventKind.SEEN, eventId, userId, channel, refs, at, source);
    }

    /** The user has seen everything before this event (the feed was opened). */
    public static Envelope seenAll(String eventId, String userId, Instant at, String source) {
        return new Envelope(eventId, EventKind.SEEN_ALL, userId, null, null, null, null, List.of(), at, at, source,
                SCHEMA_VERSION);
    }

    /** The user archived these notifications (or, with {@code channel}, these messages of an inbox channel). */
    public static Envelope archive(String eventId, String userId, String channel, List<String> refs, Instant at,
            String source) {
        return withRefs(EventKind.ARCHIVE, eventId, userId, channel, refs, at, source);
    }

    /** The user took these notifications (or messages of {@code channel}) out of the archive. */
    public static Envelope unarchive(String eventId, String userId, String channel, List<String> refs, Instant at,
            String source) {
        return withRefs(EventKind.UNARCHIVE, eventId, userId, channel, refs, at, source);
    }

    /** The user archived everything before this event, or only what of it was read. */
    public static Envelope archiveAll(String eventId, String userId, ArchiveScope scope, Instant at, String source) {
        Objects.requireNonNull(scope, "scope");
        return new Envelope(eventId, EventKind.ARCHIVE_ALL, userId, null, null, null, null, List.of(), at, at, source,
                SCHEMA_VERSION, null, scope, null, false, List.of(), null);
    }

    private static Envelope withRefs(EventKind kind, String eventId, String userId, String channel, List<String> refs,
            Instant at, String source) {
        return new Envelope(eventId, kind, userId, null, null, null, null, refs, at, at, source, SCHEMA_VERSION, channel);
    }

    /** A notification that bypasses the user's mutes when {@code critical}. */
    public static Envelope notification(String eventId, String userId, String type, String title, String body,
            JsonNode data, Instant occurredAt, Instant acceptedAt, String source, boolean critical) {
        return notification(eventId, userId, type, title, body, data, occurredAt, acceptedAt, source, critical, List.of(),
                null);
    }

    /** The user's whole preference set from this point of the user's stream on. */
    public static Envelope preferences(String eventId, String userId, Preferences preferences, Instant at, String source) {
        return new Envelope(eventId, EventKind.PREFERENCES, userId, null, null, null, null, List.of(), at, at, source,
                SCHEMA_VERSION, null, null, preferences, false, List.of(), null);
    }
}
