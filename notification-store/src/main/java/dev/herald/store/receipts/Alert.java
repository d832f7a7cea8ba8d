package dev.herald.store.receipts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.node.ObjectNode;

import dev.herald.schema.EnvelopeCodec;

/**
 * What the tracker tells the backend about one notification: it was not delivered, or not seen,
 * in time. The same JSON goes to {@code herald.receipt-alerts} and to the webhook.
 *
 * @param deliveryId the same for every copy of this alert (Herald-Delivery): derived from kind,
 *        user, source and eventId, so a receiver dedupes retries and re-raised alerts by it
 * @param deliveredAt when a gateway delivered it; null when it never was (always for not_delivered)
 * @param dueAt when the answer was due
 */
record Alert(String deliveryId, Kind kind, String userId, String eventId, String source, String type, String title,
        Instant acceptedAt, Instant deliveredAt, Instant dueAt, Instant alertedAt) {

    enum Kind {
        NOT_DELIVERED("not_delivered"), UNSEEN("unseen");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    static String deliveryIdOf(Kind kind, String userId, String source, String eventId) {
        String name = kind.wireName() + "\n" + userId + "\n" + source + "\n" + eventId;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    String json() {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        json.put("deliveryId", deliveryId);
        json.put("kind", kind.wireName());
        json.put("userId", userId);
        json.put("eventId", eventId);
        json.put("source", source);
        json.put("type", type);
        json.put("title", title);
        json.put("acceptedAt", acceptedAt.toString());
        json.put("deliveredAt", deliveredAt == null ? null : deliveredAt.toString());
        json.put("dueAt", dueAt.toString());
        json.put("alertedAt", alertedAt.toString());
        return EnvelopeCodec.mapper().writeValueAsString(json);
    }
}
