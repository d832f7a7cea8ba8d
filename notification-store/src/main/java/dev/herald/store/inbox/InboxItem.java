package dev.herald.store.inbox;

import java.time.Instant;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One item of the inbox API: one of the user's own notifications, or a message of an inbox channel.
 *
 * @param cursor for the user's own, its position in the user's stream; null for a channel message,
 *        which is not in that stream
 * @param channel for a channel message, its channel (its eventId is unique only within it, per
 *        source); null for the user's own
 * @param channelCursor for a channel message, its position in the channel's stream; null otherwise
 * @param seen whether the user has seen it (opened the feed that shows it), since {@code seenAt}
 * @param archived whether the user archived it, since {@code archivedAt}: archived items are only in
 *        {@code status=archived} pages and in no count
 * @param actions its buttons, as the envelope's JSON array; null when it has none
 * @param expiresAt when it leaves the inbox; null when never
 * @param tags the tags the notification was sent with; empty when none, and for channel messages
 */
record InboxItem(
        String eventId,
        String cursor,
        String type,
        String title,
        String body,
        JsonNode data,
        String source,
        Instant occurredAt,
        Instant acceptedAt,
        boolean read,
        Instant readAt,
        String channel,
        String channelCursor,
        boolean seen,
        Instant seenAt,
        boolean archived,
        Instant archivedAt,
        JsonNode actions,
        Instant expiresAt,
        List<String> tags) {

    InboxItem {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** An item without tags (a channel message's). */
    InboxItem(String eventId, String cursor, String type, String title, String body, JsonNode data, String source,
            Instant occurredAt, Instant acceptedAt, boolean read, Instant readAt, String channel, String channelCursor,
            boolean seen, Instant seenAt, boolean archived, Instant archivedAt, JsonNode actions, Instant expiresAt) {
        this(eventId, cursor, type, title, body, data, source, occurredAt, acceptedAt, read, readAt, channel, channelCursor,
                seen, seenAt, archived, archivedAt, actions, expiresAt, List.of());
    }
}
