package dev.herald.schema.frames;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.herald.schema.Cursor;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.schema.Instants;
import dev.herald.schema.NotificationAction;
import dev.herald.schema.NotificationFields;

/**
 * The JSON form of the WebSocket frames, both ways. Every frame is an object with a {@code type};
 * unknown fields are ignored so that either side can add some without breaking the other.
 */
public final class Frames {

    private static final JsonMapper MAPPER = EnvelopeCodec.mapper();

    private Frames() {
    }

    public static String encode(ServerFrame frame) {
        ObjectNode json = MAPPER.createObjectNode();
        if (frame instanceof ServerFrame.Welcome w) {
            json.put("type", "welcome");
            json.put("partition", w.partition());
            json.put("cursor", w.cursor().toString());
            json.put("replay", w.replay());
        }
        else if (frame instanceof ServerFrame.Notification n) {
            json.put("type", "notification");
            json.put("cursor", n.cursor().toString());
            writeEvent(json.putObject("event"), n.event());
        }
        else if (frame instanceof ServerFrame.Read r) {
            json.put("type", "read");
            json.put("cursor", r.cursor().toString());
            json.put("eventId", r.eventId());
            r.eventIds().forEach(json.putArray("eventIds")::add);
            json.put("all", r.all());
            if (r.channel() != null) {
                json.put("channel", r.channel());
            }
        }
        else if (frame instanceof ServerFrame.State st) {
            json.put("type", "state");
            json.put("cursor", st.cursor().toString());
            json.put("eventId", st.eventId());
            json.put("state", st.state());
            st.eventIds().forEach(json.putArray("eventIds")::add);
            json.put("all", st.all());
            if (st.scope() != null) {
                json.put("scope", st.scope());
            }
            if (st.channel() != null) {
                json.put("channel", st.channel());
            }
        }
        else if (frame instanceof ServerFrame.Resync r) {
            json.put("type", "resync");
            json.put("since", r.since());
            json.put("partition", r.partition());
            json.put("reason", r.reason());
            json.put("from", r.from() == null ? null : r.from().toString());
            json.put("to", r.to().toString());
        }
        else if (frame instanceof ServerFrame.Subscribed sub) {
            json.put("type", "subscribed");
            json.put("channel", sub.channel());
            json.put("cursor", sub.cursor().toString());
            json.put("replay", sub.replay());
        }
        else if (frame instanceof ServerFrame.Message m) {
            json.put("type", "message");
            json.put("channel", m.channel());
            json.put("cursor", m.cursor().toString());
            writeEvent(json.putObject("event"), m.event());
        }
        else if (frame instanceof ServerFrame.ChannelResync r) {
            json.put("type", "resync");
            json.put("channel", r.channel());
            json.put("since", r.since());
            json.put("reason", r.reason());
            json.put("from", r.from() == null ? null : r.from().toString());
            json.put("to", r.to().toString());
        }
        else if (frame instanceof ServerFrame.Unsubscribed u) {
            json.put("type", "unsubscribed");
            json.put("channel", u.channel());
            json.put("reason", u.reason());
        }
        else if (frame instanceof ServerFrame.Ping) {
            json.put("type", "ping");
        }
        else if (frame instanceof ServerFrame.Pong) {
            json.put("type", "pong");
        }
        else if (frame instanceof ServerFrame.Error e) {
            json.put("type", "error");
            json.put("code", e.code());
            json.put("message", e.message());
            if (e.channel() != null) {
                json.put("channel", e.channel());
            }
        }
        return MAPPER.writeValueAsString(json);
    }

    public static String encode(ClientFrame frame) {
        ObjectNode json = MAPPER.createObjectNode();
        if (frame instanceof ClientFrame.Auth a) {
            json.put("type", "auth");
            json.put("token", a.token());
            if (a.since() != null) {
                json.put("since", a.since());
            }
            if (a.sdk() != null) {
                json.put("sdk", a.sdk());
            }
        }
        else if (frame instanceof ClientFrame.Refresh r) {
            json.put("type", "refresh");
            json.put("token", r.token());
        }
        else if (frame instanceof ClientFrame.Subscribe sub) {
            json.put("type", "subscribe");
            json.put("channel", sub.channel());
            if (sub.since() != null) {
                json.put("since", sub.since());
            }
        }
        else if (frame instanceof ClientFrame.Unsubscribe u) {
            json.put("type", "unsubscribe");
            json.put("channel", u.channel());
        }
        else if (frame instanceof ClientFrame.Seen seen) {
            json.put("type", "seen");
            seen.eventIds().forEach(json.putArray("eventIds")::add);
        }
        else if (frame instanceof ClientFrame.Ping) {
            json.put("type", "ping");
        }
        else if (frame instanceof ClientFrame.Pong) {
            json.put("type", "pong");
        }
        else if (frame instanceof ClientFrame.Unknown u) {
            json.put("type", u.type());
        }
        return MAPPER.writeValueAsString(json);
    }

    /** Parses a client frame; throws {@link MalformedFrameException} saying what is wrong. */
    public static ClientFrame decodeClient(String text) {
        JsonNode json = object(text);
        String type = type(json);
        return switch (type) {
            case "auth" -> new ClientFrame.Auth(optionalString(json, "token"), optionalString(json, "since"), sdk(json));
            case "refresh" -> new ClientFrame.Refresh(optionalString(json, "token"));
            case "subscribe" -> new ClientFrame.Subscribe(optionalString(json, "channel"), optionalString(json, "since"));
            case "unsubscribe" -> new ClientFrame.Unsubscribe(optionalString(json, "channel"));
            case "seen" -> new ClientFrame.Seen(eventIds(json));
            case "ping" -> new ClientFrame.Ping();
            case "pong" -> new ClientFrame.Pong();
            default -> new ClientFrame.Unknown(type);
        };
    }

    /** Parses a server frame (for SDKs, tools and tests); throws {@link MalformedFrameException}. */
    public static ServerFrame decodeServer(String text) {
        JsonNode json = object(text);
        try {
            return switch (type(json)) {
                case "welcome" -> new ServerFrame.Welcome(json.get("partition").asInt(), cursor(json),
                        json.path("replay").asInt(0));
                case "notification" -> new ServerFrame.Notification(cursor(json), readEvent(json.get("event")));
                case "read" -> {
                    List<String> ids = new ArrayList<>();
                    json.path("eventIds").forEach(id -> ids.add(id.asString()));
                    yield new ServerFrame.Read(cursor(json), optionalString(json, "eventId"), ids,
                            json.path("all").asBoolean(false), optionalString(json, "channel"));
                }
                case "state" -> {
                    List<String> ids = new ArrayList<>();
                    json.path("eventIds").forEach(id -> ids.add(id.asString()));
                    yield new ServerFrame.State(cursor(json), optionalString(json, "eventId"), optionalString(json, "state"),
                            ids, json.path("all").asBoolean(false), optionalString(json, "scope"),
                            optionalString(json, "channel"));
                }
                case "resync" -> {
                    String from = optionalString(json, "from");
                    if (json.hasNonNull("channel")) {
                        yield new ServerFrame.ChannelResync(optionalString(json, "channel"), optionalString(json, "since"),
                                optionalString(json, "reason"), from == null ? null : Cursor.parse(from),
                                Cursor.parse(json.get("to").asString()));
                    }
                    yield new ServerFrame.Resync(optionalString(json, "since"), json.path("partition").asInt(-1),
                            optionalString(json, "reason"), from == null ? null : Cursor.parse(from),
                            Cursor.parse(json.get("to").asString()));
                }
                case "subscribed" -> new ServerFrame.Subscribed(optionalString(json, "channel"), cursor(json),
                        json.path("replay").asInt(0));
                case "message" -> new ServerFrame.Message(optionalString(json, "channel"), cursor(json),
                        readEvent(json.get("event")));
                case "unsubscribed" -> new ServerFrame.Unsubscribed(optionalString(json, "channel"),
                        optionalString(json, "reason"));
                case "ping" -> new ServerFrame.Ping();
                case "pong" -> new ServerFrame.Pong();
                case "error" -> new ServerFrame.Error(optionalString(json, "code"), optionalString(json, "message"),
                        optionalString(json, "channel"));
                default -> throw new MalformedFrameException("unknown frame type " + type(json));
            };
        }
        catch (NullPointerException | IllegalArgumentException ex) {
            if (ex instanceof MalformedFrameException malformed) {
                throw malformed;
            }
            throw new MalformedFrameException("invalid " + type(json) + " frame: " + ex.getMessage());
        }
    }

    private static JsonNode object(String text) {
        JsonNode json;
        try {
            json = MAPPER.readTree(text);
        }
        catch (JacksonException ex) {
            throw new MalformedFrameException("not valid JSON: " + ex.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new MalformedFrameException("a frame must be a JSON object");
        }
        return json;
    }

    private static String type(JsonNode json) {
        JsonNode type = json.get("type");
        if (type == null || !type.isString() || type.asString().isBlank()) {
            throw new MalformedFrameException("a frame needs a string 'type'");
        }
        return type.asString();
    }

    private static void writeEvent(ObjectNode event, ServerFrame.Event e) {
        event.put("eventId", e.eventId());
        if (e.userId() != null) {
            event.put("userId", e.userId());
        }
        event.put("type", e.type());
        event.put("title", e.title());
        event.put("body", e.body());
        if (e.data() != null) {
            event.set("data", e.data());
        }
        event.put("occurredAt", Instants.format(e.occurredAt()));
        event.put("acceptedAt", Instants.format(e.acceptedAt()));
        event.put("source", e.source());
        EnvelopeCodec.writeActions(event, e.actions());
        if (e.expiresAt() != null) {
            event.put("expiresAt", Instants.format(e.expiresAt()));
        }
        if (!e.tags().isEmpty()) {
            e.tags().forEach(event.putArray("tags")::add);
        }
    }

    private static ServerFrame.Event readEvent(JsonNode e) {
        JsonNode data = e.get("data");
        return new ServerFrame.Event(e.get("eventId").asString(), optionalString(e, "userId"), e.get("type").asString(),
                e.get("title").asString(), e.get("body").asString(), data == null || data.isNull() ? null : data,
                Instants.parse(e.get("occurredAt").asString()), Instants.parse(e.get("acceptedAt").asString()),
                e.get("source").asString(), actions(e.get("actions")), e.hasNonNull("expiresAt")
                        ? Instants.parse(e.get("expiresAt").asString()) : null, tags(e.get("tags")));
    }

    private static List<String> tags(JsonNode tags) {
        if (tags == null || !tags.isArray()) {
            return List.of();
        }
        List<String> list = new ArrayList<>(tags.size());
        tags.forEach(tag -> list.add(tag.asString()));
        return list;
    }

    private static List<NotificationAction> actions(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        List<NotificationAction> actions = NotificationFields.actions(node, "actions", errors);
        if (!errors.isEmpty()) {
            throw new MalformedFrameException("'actions': " + errors.get(0).message());
        }
        return actions;
    }

    /** The auth frame's optional {@code sdk}: a string of at most {@link ClientFrame.Auth#MAX_SDK_LENGTH} characters. */
    private static String sdk(JsonNode json) {
        String sdk = optionalString(json, "sdk");
        if (sdk != null && sdk.length() > ClientFrame.Auth.MAX_SDK_LENGTH) {
            throw new MalformedFrameException("'sdk' must be at most " + ClientFrame.Auth.MAX_SDK_LENGTH + " characters");
        }
        return sdk;
    }

    /** The seen frame's {@code eventIds}: 1 to {@link ClientFrame.Seen#MAX_EVENT_IDS} valid eventIds. */
    private static List<String> eventIds(JsonNode json) {
        JsonNode ids = json.get("eventIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new MalformedFrameException("'eventIds' must be a non-empty array of eventIds");
        }
        if (ids.size() > ClientFrame.Seen.MAX_EVENT_IDS) {
            throw new MalformedFrameException("'eventIds' must hold at most " + ClientFrame.Seen.MAX_EVENT_IDS + " eventIds");
        }
        List<String> eventIds = new ArrayList<>(ids.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = NotificationFields.eventId(ids.get(i), "eventIds[" + i + "]", errors);
            if (!errors.isEmpty()) {
                throw new MalformedFrameException("'" + errors.get(0).field() + "' " + errors.get(0).message());
            }
            eventIds.add(id);
        }
        return eventIds;
    }

    private static Cursor cursor(JsonNode json) {
        return Cursor.parse(optionalString(json, "cursor"));
    }

    private static String optionalString(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new MalformedFrameException("'" + field + "' must be a string");
        }
        return node.asString();
    }
}
