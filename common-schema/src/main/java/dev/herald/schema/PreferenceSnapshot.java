package dev.herald.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A record of the compacted topic {@code herald.preferences} (key = user id): a user's whole
 * preference set as of the {@code preferences} event at {@code offset} of the user's partition of
 * {@code herald.user-events}. Consumers ignore fields they do not know.
 *
 * @param offset where the event that set it sits in the user's partition of herald.user-events
 */
public record PreferenceSnapshot(String userId, Preferences preferences, long offset) {

    public PreferenceSnapshot {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(preferences, "preferences");
    }

    public byte[] encode() {
        ObjectNode json = EnvelopeCodec.mapper().createObjectNode();
        json.put("userId", userId);
        json.set("preferences", preferences.toJson());
        json.put("offset", offset);
        return EnvelopeCodec.mapper().writeValueAsBytes(json);
    }

    /** @throws InvalidEventException naming every bad field */
    public static PreferenceSnapshot decode(byte[] bytes) {
        JsonNode json;
        try {
            json = bytes == null ? null : EnvelopeCodec.mapper().readTree(bytes);
        }
        catch (JacksonException ex) {
            throw new InvalidEventException("$", "not valid JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("$", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        String userId = NotificationFields.userId(json.get("userId"), "userId", errors);
        Preferences preferences = Preferences.fromJson(json.get("preferences"), "preferences", errors);
        JsonNode offset = json.get("offset");
        if (offset == null || !offset.canConvertToLong() || !offset.isIntegralNumber()) {
            errors.add(new FieldError("offset", "is required (an offset of herald.user-events)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        return new PreferenceSnapshot(userId, preferences, offset.longValue());
    }
}
