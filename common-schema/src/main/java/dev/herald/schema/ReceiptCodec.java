package dev.herald.schema;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link Receipt} (see {@code receipt-v1.schema.json}). Decoding validates every
 * field and reports all bad ones; unknown fields are ignored, so newer gateways do not break older stores.
 */
public final class ReceiptCodec {

    private ReceiptCodec() {
    }

    public static byte[] encode(Receipt receipt) {
        return EnvelopeCodec.mapper().writeValueAsBytes(toJson(receipt));
    }

    public static ObjectNode toJson(Receipt r) {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        json.put("kind", r.kind().wireName());
        json.put("userId", r.userId());
        json.put("eventId", r.eventId());
        json.put("at", r.at().toString());
        json.put("gateway", r.gateway());
        json.put("sessions", r.sessions());
        json.put("schemaVersion", r.schemaVersion());
        return json;
    }

    /** Decodes and validates; throws {@link InvalidEventException} naming every bad field. */
    public static Receipt decode(byte[] bytes) {
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
        if (json.path("schemaVersion").asInt(-1) != Receipt.SCHEMA_VERSION) {
            errors.add(new FieldError("schemaVersion", "must be " + Receipt.SCHEMA_VERSION));
        }
        Receipt.Kind kind = Receipt.Kind.fromWireName(json.path("kind").asString(null)).orElse(null);
        if (kind == null) {
            errors.add(new FieldError("kind", "must be one of delivered, seen"));
        }
        String userId = NotificationFields.userId(json.get("userId"), "userId", errors);
        String eventId = NotificationFields.eventId(json.get("eventId"), "eventId", errors);
        Instant at = null;
        JsonNode atNode = json.get("at");
        try {
            if (atNode != null && atNode.isString()) {
                at = Instants.parse(atNode.asString());
            }
        }
        catch (DateTimeParseException ex) {
            // reported below
        }
        if (at == null) {
            errors.add(new FieldError("at", "is required (an ISO-8601 instant)"));
        }
        String gateway = json.path("gateway").isString() ? json.get("gateway").asString() : null;
        if (gateway == null) {
            errors.add(new FieldError("gateway", "is required"));
        }
        int sessions = json.path("sessions").asInt(1);
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        return new Receipt(kind, userId, eventId, at, gateway, sessions, Receipt.SCHEMA_VERSION);
    }
}
