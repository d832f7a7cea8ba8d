package dev.herald.store.inbox;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/** One notification as the inbox API shows it; {@code cursor} is its position in the user's stream. */
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
        Instant readAt) {
}
