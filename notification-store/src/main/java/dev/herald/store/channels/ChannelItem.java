package dev.herald.store.channels;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One channel message as the history API shows it; {@code cursor} is its position in the channel's
 * stream, {@code actions} its buttons (the envelope's JSON array, null when none), {@code expiresAt}
 * when it leaves the history (null when never).
 */
record ChannelItem(
        String eventId,
        String channel,
        String cursor,
        String type,
        String title,
        String body,
        JsonNode data,
        String source,
        Instant occurredAt,
        Instant acceptedAt,
        JsonNode actions,
        Instant expiresAt) {
}
