package dev.herald.producer.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Channels;
import dev.herald.schema.Envelope;
import dev.herald.schema.FieldError;
import dev.herald.schema.Instants;
import dev.herald.schema.NotificationAction;
import dev.herald.schema.NotificationFields;
import dev.herald.support.ApiException;

/**
 * Turns a request body into the events to publish, one per recipient, or refuses it with every bad
 * field named. Event ids are derived from the Idempotency-Key, so a retried request yields the
 * same ids and the store keeps one copy.
 */
final class NotificationRequests {

    private static final Set<String> FIELDS =
            Set.of("userId", "recipients", "type", "title", "body", "data", "eventId", "occurredAt", "critical", "actions",
                    "expiresAt", "tags");
    private static final Set<String> CHANNEL_FIELDS =
            Set.of("type", "title", "body", "data", "eventId", "occurredAt", "actions", "expiresAt");

    private final ProducerProperties limits;

    NotificationRequests(ProducerProperties limits) {
        this.limits = limits;
    }

    /** The body of {@code POST /v1/notifications}. */
    List<Envelope> single(JsonNode body, Ingest ingest) {
        List<FieldError> errors = new ArrayList<>();
        List<Envelope> events = notification(body, "", 0, ingest, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return events;
    }

    /** The body of {@code POST /v1/notifications/batch}: {@code {"notifications":[…]}}. */
    List<Envelope> batch(JsonNode body, Ingest ingest) {
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ApiException.badRequest("$", "must be a JSON object with a 'notifications' array");
        }
        unknownFields(body, Set.of("notifications"), "", errors);
        JsonNode items = body.get("notifications");
        if (items == null || !items.isArray() || items.isEmpty()) {
            errors.add(new FieldError("notifications", "must be a non-empty array"));
            throw ApiException.badRequest(errors);
        }
        if (items.size() > limits.maxBatchEvents()) {
            throw ApiException.badRequest("notifications", "must hold at most " + limits.maxBatchEvents() + " items");
        }
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            events.addAll(notification(items.get(i), "notifications[" + i + "].", i, ingest, errors));
        }
        if (events.size() > limits.maxBatchEvents()) {
            errors.add(new FieldError("notifications",
                    "make at most " + limits.maxBatchEvents() + " events (notifications times recipients), not " + events.size()));
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return events;
    }

    /**
     * The body of {@code POST /v1/channels/{channel}/messages}: a notification's fields without
     * recipients. Its id is the caller's {@code eventId}, or derived from the Idempotency-Key.
     */
    ChannelMessage channelMessage(String channel, JsonNode json, Ingest ingest) {
        List<FieldError> errors = new ArrayList<>();
        Channels.problemWith(channel).ifPresent(problem -> errors.add(new FieldError("channel", problem)));
        if (json == null || !json.isObject()) {
            errors.add(new FieldError("$", "must be a JSON object"));
            throw ApiException.badRequest(errors);
        }
        unknownFields(json, CHANNEL_FIELDS, "", errors);
        String type = NotificationFields.type(json.get("type"), "type", errors);
        String title = NotificationFields.title(json.get("title"), "title", errors);
        String body = NotificationFields.body(json.get("body"), "body", errors);
        JsonNode data = NotificationFields.data(json.get("data"), "data", errors);
        Instant occurredAt = occurredAt(json.get("occurredAt"), "occurredAt", ingest.acceptedAt(), errors);
        List<NotificationAction> actions = NotificationFields.actions(json.get("actions"), "actions", errors);
        Instant expiresAt = NotificationFields.expiresAt(json.get("expiresAt"), "expiresAt", ingest.acceptedAt(), errors);
        String eventId = json.hasNonNull("eventId") ? NotificationFields.eventId(json.get("eventId"), "eventId", errors)
                : ingest.eventId(0, "channel\n" + channel);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return ChannelMessage.of(eventId, channel, type, title, body, data, occurredAt, ingest.acceptedAt(), ingest.source(),
                actions, expiresAt);
    }

    private List<Envelope> notification(JsonNode json, String prefix, int index, Ingest ingest, List<FieldError> errors) {
        if (json == null || !json.isObject()) {
            errors.add(new FieldError(prefix.isEmpty() ? "$" : prefix.substring(0, prefix.length() - 1), "must be a JSON object"));
            return List.of();
        }
        int errorsBefore = errors.size();
        unknownFields(json, FIELDS, prefix, errors);
        List<String> recipients = recipients(json, prefix, errors);
        String type = NotificationFields.type(json.get("type"), prefix + "type", errors);
        String title = NotificationFields.title(json.get("title"), prefix + "title", errors);
        String body = NotificationFields.body(json.get("body"), prefix + "body", errors);
        JsonNode data = NotificationFields.data(json.get("data"), prefix + "data", errors);
        List<String> tags = NotificationFields.tags(json.get("tags"), prefix + "tags", errors);
        Instant occurredAt = occurredAt(json.get("occurredAt"), prefix + "occurredAt", ingest.acceptedAt(), errors);
        boolean critical = NotificationFields.critical(json.get("critical"), prefix + "critical", errors);
        // Both are absent from most requests: then no allocation beyond a field look-up each.
        List<NotificationAction> actions = NotificationFields.actions(json.get("actions"), prefix + "actions", errors);
        Instant expiresAt = NotificationFields.expiresAt(json.get("expiresAt"), prefix + "expiresAt", ingest.acceptedAt(), errors);
        String eventId = null;
        if (json.hasNonNull("eventId")) {
            eventId = NotificationFields.eventId(json.get("eventId"), prefix + "eventId", errors);
            if (recipients.size() > 1) {
                errors.add(new FieldError(prefix + "eventId",
                        "can only be given for a single recipient; use the Idempotency-Key header for several"));
            }
        }
        if (errors.size() > errorsBefore) {
            return List.of();
        }
        List<Envelope> events = new ArrayList<>(recipients.size());
        for (String userId : recipients) {
            String id = eventId != null ? eventId : ingest.eventId(index, userId);
            events.add(Envelope.notification(id, userId, type, title, body, data, occurredAt, ingest.acceptedAt(),
                    ingest.source(), critical, actions, expiresAt, tags));
        }
        return events;
    }

    private List<String> recipients(JsonNode json, String prefix, List<FieldError> errors) {
        JsonNode single = json.get("userId");
        JsonNode many = json.get("recipients");
        if (single != null && many != null) {
            errors.add(new FieldError(prefix + "recipients", "give either userId or recipients, not both"));
            return List.of();
        }
        if (many == null) {
            String userId = NotificationFields.userId(single, prefix + "userId", errors);
            return userId == null ? List.of() : List.of(userId);
        }
        if (!many.isArray() || many.isEmpty()) {
            errors.add(new FieldError(prefix + "recipients", "must be a non-empty array of user ids"));
            return List.of();
        }
        if (many.size() > limits.maxRecipients()) {
            errors.add(new FieldError(prefix + "recipients", "must hold at most " + limits.maxRecipients() + " user ids"));
            return List.of();
        }
        // One event per distinct recipient, in the order given.
        Set<String> userIds = new LinkedHashSet<>();
        for (int i = 0; i < many.size(); i++) {
            String userId = NotificationFields.userId(many.get(i), prefix + "recipients[" + i + "]", errors);
            if (userId != null) {
                userIds.add(userId);
            }
        }
        return List.copyOf(userIds);
    }

    private static Instant occurredAt(JsonNode node, String field, Instant fallback, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        try {
            return Instants.parse(node.asString(""));
        }
        catch (DateTimeParseException ex) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
            return null;
        }
    }

    private static void unknownFields(JsonNode json, Set<String> known, String prefix, List<FieldError> errors) {
        for (Iterator<String> names = json.propertyNames().iterator(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(prefix + name, "is not a known field"));
            }
        }
    }

    /**
     * What one request shares among its events: who sent it, when, and the idempotency key from
     * which their ids are derived (generated when the client sent none, and returned with a 503 so
     * that a retry is still exactly-once).
     */
    record Ingest(String source, String idempotencyKey, Instant acceptedAt) {

        /** {@link UUID#nameUUIDFromBytes} (version 3) of the request's key and the event's place in it. */
        String eventId(int index, String userId) {
            String name = source + '\n' + idempotencyKey + '\n' + index + '\n' + userId;
            return NameUuids.of(name.getBytes(StandardCharsets.UTF_8)).toString();
        }
    }
}
