package dev.herald.schema;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link Envelope} (see {@code envelope-v1.schema.json}). Decoding validates every
 * field and reports all bad ones in an {@link InvalidEventException}; unknown fields are ignored so
 * that newer producers do not break older consumers.
 */
public final class EnvelopeCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private EnvelopeCodec() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Envelope envelope) {
        return MAPPER.writeValueAsBytes(toJson(envelope));
    }

    public static ObjectNode toJson(Envelope e) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("eventId", e.eventId());
        json.put("kind", e.kind().wireName());
        json.put("userId", e.userId());
        if (e.kind() == EventKind.NOTIFICATION) {
            json.put("type", e.type());
            json.put("title", e.title());
            json.put("body", e.body());
            if (e.data() != null) {
                json.set("data", e.data());
            }
            if (!e.tags().isEmpty()) {
                e.tags().forEach(json.putArray("tags")::add);
            }
            if (e.critical()) {
                json.put("critical", true);
            }
            writeActions(json, e.actions());
            if (e.expiresAt() != null) {
                json.put("expiresAt", Instants.format(e.expiresAt()));
            }
        }
        if (e.kind().hasRefs()) {
            ArrayNode refs = json.putArray("refs");
            e.refs().forEach(refs::add);
            if (e.channel() != null) {
                json.put("channel", e.channel());
            }
        }
        if (e.scope() != null) {
            json.put("scope", e.scope().wireName());
        }
        if (e.kind() == EventKind.PREFERENCES) {
            json.set("preferences", e.preferences().toJson());
        }
        json.put("occurredAt", Instants.format(e.occurredAt()));
        json.put("acceptedAt", Instants.format(e.acceptedAt()));
        json.put("source", e.source());
        json.put("schemaVersion", e.schemaVersion());
        return json;
    }

    /** Adds {@code actions} unless there are none (so records without them read as before). */
    public static void writeActions(ObjectNode json, List<NotificationAction> actions) {
        if (actions.isEmpty()) {
            return;
        }
        ArrayNode array = json.putArray("actions");
        for (NotificationAction a : actions) {
            ObjectNode action = array.addObject();
            action.put("id", a.id());
            action.put("label", a.label());
            if (a.url() != null) {
                action.put("url", a.url());
            }
            else {
                action.put("action", a.action());
            }
        }
    }

    /** Decodes and validates; throws {@link InvalidEventException} naming every bad field. */
    public static Envelope decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException("$", "record has no value");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(bytes);
        }
        catch (JacksonException ex) {
            // The location only: the parser's message may quote the record's content, which must not reach logs.
            var at = ex.getLocation();
            throw new InvalidEventException("$", "not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        return fromJson(json);
    }

    /**
     * The eventId of a record, even one that is otherwise invalid, for logs and operators: empty
     * when it has none that can be read.
     */
    public static Optional<String> eventIdOf(byte[] bytes) {
        try {
            JsonNode id = MAPPER.readTree(bytes).path("eventId");
            List<FieldError> errors = new ArrayList<>();
            return Optional.ofNullable(NotificationFields.eventId(id, "eventId", errors)).filter(x -> errors.isEmpty());
        }
        catch (RuntimeException ex) {
            return Optional.empty();
        }
    }

    public static Envelope fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("$", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        int version = json.path("schemaVersion").asInt(-1);
        if (version != Envelope.SCHEMA_VERSION) {
            errors.add(new FieldError("schemaVersion", "must be " + Envelope.SCHEMA_VERSION));
        }
        String eventId = NotificationFields.eventId(json.get("eventId"), "eventId", errors);
        String userId = NotificationFields.userId(json.get("userId"), "userId", errors);
        EventKind kind = EventKind.fromWireName(json.path("kind").asString(null)).orElse(null);
        if (kind == null) {
            errors.add(new FieldError("kind", "must be one of " + String.join(", ",
                    Arrays.stream(EventKind.values()).map(EventKind::wireName).toList())));
        }
        Instant occurredAt = instant(json, "occurredAt", errors);
        Instant acceptedAt = instant(json, "acceptedAt", errors);
        String source = json.path("source").isString() ? json.get("source").asString() : null;
        if (source == null || source.isBlank()) {
            errors.add(new FieldError("source", "is required"));
        }
        String type = null;
        String title = null;
        String body = null;
        JsonNode data = null;
        List<NotificationAction> actions = List.of();
        Instant expiresAt = null;
        List<String> refs = List.of();
        String channel = null;
        ArchiveScope scope = null;
        List<String> tags = List.of();
        Preferences preferences = null;
        boolean critical = false;
        if (kind == EventKind.NOTIFICATION) {
            type = NotificationFields.type(json.get("type"), "type", errors);
            title = NotificationFields.title(json.get("title"), "title", errors);
            body = NotificationFields.body(json.get("body"), "body", errors);
            data = NotificationFields.data(json.get("data"), "data", errors);
            tags = NotificationFields.tags(json.get("tags"), "tags", errors);
            critical = NotificationFields.critical(json.get("critical"), "critical", errors);
            actions = NotificationFields.actions(json.get("actions"), "actions", errors);
            // No range check: a stored record may be read long after it expired.
            expiresAt = NotificationFields.expiresAt(json.get("expiresAt"), "expiresAt", null, errors);
        }
        else if (kind != null && kind.hasRefs()) {
            refs = refs(json.get("refs"), errors);
            channel = channel(json.get("channel"), errors);
        }
        else if (kind == EventKind.ARCHIVE_ALL) {
            scope = scope(json.get("scope"), errors);
        }
        else if (kind == EventKind.PREFERENCES) {
            preferences = Preferences.fromJson(json.get("preferences"), "preferences", errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidEventException(errors);
        }
        return new Envelope(eventId, kind, userId, type, title, body, data, refs, occurredAt, acceptedAt, source,
                version, channel, scope, preferences, critical, actions, expiresAt, tags);
    }

    /** The optional scope of an archive_all event: absent or null for {@link ArchiveScope#ALL}. */
    private static ArchiveScope scope(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return ArchiveScope.ALL;
        }
        Optional<ArchiveScope> scope = node.isString() ? ArchiveScope.fromWireName(node.asString()) : Optional.empty();
        if (scope.isEmpty()) {
            errors.add(new FieldError("scope", "must be one of read, all"));
        }
        return scope.orElse(null);
    }

    /** The optional channel of an event with refs: absent or null for the user's own notifications. */
    private static String channel(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        String name = node.isString() ? node.asString() : null;
        Optional<String> problem = Channels.problemWith(name);
        if (problem.isPresent()) {
            errors.add(new FieldError("channel", problem.get()));
            return null;
        }
        return name;
    }

    private static List<String> refs(JsonNode node, List<FieldError> errors) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.add(new FieldError("refs", "must be a non-empty array of eventIds"));
            return List.of();
        }
        if (node.size() > NotificationFields.MAX_REFS) {
            errors.add(new FieldError("refs", "must hold at most " + NotificationFields.MAX_REFS + " eventIds"));
            return List.of();
        }
        List<String> refs = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            refs.add(NotificationFields.eventId(node.get(i), "refs[" + i + "]", errors));
        }
        return refs;
    }

    private static Instant instant(JsonNode json, String field, List<FieldError> errors) {
        JsonNode node = json.get(field);
        if (node == null || !node.isString()) {
            errors.add(new FieldError(field, "is required (an ISO-8601 instant)"));
            return null;
        }
        try {
            return Instants.parse(node.asString());
        }
        catch (DateTimeParseException ex) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
            return null;
        }
    }
}
