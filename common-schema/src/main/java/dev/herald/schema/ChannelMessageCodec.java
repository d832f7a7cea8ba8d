package dev.herald.schema;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON form of {@link ChannelMessage} on the wire, validated with the same field rules as notifications. */
public final class ChannelMessageCodec {

    private ChannelMessageCodec() {
    }

    public static byte[] encode(ChannelMessage message) {
        return EnvelopeCodec.mapper().writeValueAsBytes(toJson(message));
    }

    public static ObjectNode toJson(ChannelMessage m) {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        json.put("eventId", m.eventId());
        json.put("channel", m.channel());
        json.put("type", m.type());
        json.put("title", m.title());
        json.put("body", m.body());
        if (m.data() != null) {
            json.set("data", m.data());
        }
        EnvelopeCodec.writeActions(json, m.actions());
        if (m.expiresAt() != null) {
            json.put("expiresAt", Instants.format(m.expiresAt()));
        }
        json.put("occurredAt", Instants.format(m.occurredAt()));
        json.put("acceptedAt", Instants.format(m.acceptedAt()));
        json.put("source", m.source());
        json.put("schemaVersion", m.schemaVersion());
        return json;
    }

    /** Decodes and validates; throws {@link InvalidEventException} naming every bad field. */
    public static ChannelMessage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException("$", "record has no value");
        }
        JsonNode json;
        try {
            json = EnvelopeCodec.mapper().readTree(bytes);
        }
        catch (JacksonException ex) {
            throw new InvalidEventException("$", "not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("$", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        if (json.path("schemaVersion").asInt(-1) != ChannelMessage.SCHEMA_VERSION) {
            errors.add(new FieldError("schemaVersion", "must be " + ChannelMessage.SCHEMA_VERSION));
        }
        String eventId = NotificationFields.eventId(json.get("eventId"), "eventId", errors);
        String channel = json.path("channel").isString() ? json.get("channel").asString() : null;
        Channels.problemWith(channel).ifPresent(problem -> errors.add(new FieldError("channel", problem)));
        String type = NotificationFields.type(json.get("type"), "type", errors);
        String title = NotificationFields.title(json.get("title"), "title", errors);
        String body = NotificationFields.body(json.get("body"), "body", errors);
        JsonNode data = NotificationFields.data(json.get("data"), "data", errors);
        List<NotificationAction> actions = NotificationFields.actions(json.get("actions"), "actions", errors);
        Instant expiresAt = NotificationFields.expiresAt(json.get("expiresAt"), "expiresAt", null, errors);
        Instant occurredAt = instant(json, "occurredAt", errors);
        Instant acceptedAt = instant(json, "acceptedAt", errors);
        String source = json.path("source").isString() ? json.get("source").asString() : null;
        if (source == null || source.isBlank()) {
            errors.add(new FieldError("source", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        return new ChannelMessage(eventId, channel, type, title, body == null ? "" : body, data, occurredAt, acceptedAt,
                source, ChannelMessage.SCHEMA_VERSION, actions, expiresAt);
    }

    private static Instant instant(JsonNode json, String field, List<FieldError> errors) {
        JsonNode node = json.get(field);
        try {
            if (node != null && node.isString()) {
                return Instants.parse(node.asString());
            }
        }
        catch (DateTimeParseException ex) {
            // reported below
        }
        errors.add(new FieldError(field, "is required (an ISO-8601 instant)"));
        return null;
    }
}
