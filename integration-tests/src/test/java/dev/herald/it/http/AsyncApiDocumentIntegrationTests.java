package dev.herald.it.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.Cursor;
import dev.herald.schema.PreferenceSnapshot;
import dev.herald.schema.Preferences;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;
import dev.herald.schema.Topics;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * {@code docs/api/asyncapi.yaml} against the code and a running gateway: every {@code $ref}
 * resolves, every frame record of {@code ClientFrame} and {@code ServerFrame} has its message
 * (so a new frame without docs fails here) whose payload accepts what {@link Frames} writes,
 * the frames a live session receives match their messages, and the Kafka topics, groups and
 * dead-letter headers are those of {@link Topics}.
 */
class AsyncApiDocumentIntegrationTests {

    private static final String DOCUMENT = "asyncapi.yaml";
    private static final String CURSOR = "7-10@Xk3fQ9aB";
    private static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");

    private final JsonNode document = Documents.read(DOCUMENT);

    @Test
    void isAnAsyncApi3DocumentWhoseReferencesAllResolve() {
        assertThat(document.get("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(document.path("info").path("title").asString()).isNotBlank();
        List<Map.Entry<String, String>> refs = Documents.refs(document);
        assertThat(refs).hasSizeGreaterThan(50);
        for (Map.Entry<String, String> ref : refs) {
            assertThat(Documents.resolve(DOCUMENT, ref.getValue()).isMissingNode())
                    .as("$ref %s at %s resolves", ref.getValue(), ref.getKey()).isFalse();
        }
        assertThat(refs).extracting(Map.Entry::getValue).contains(Documents.ENVELOPE_SCHEMA);
        // Every operation's messages are messages of its own channel.
        for (Map.Entry<String, JsonNode> operation : document.get("operations").properties()) {
            String channel = operation.getValue().get("channel").get("$ref").asString();
            assertThat(operation.getValue().get("action").asString()).isIn("send", "receive");
            for (JsonNode message : operation.getValue().get("messages")) {
                assertThat(message.get("$ref").asString()).as(operation.getKey()).startsWith(channel + "/messages/");
            }
        }
    }

    @Test
    void everyFrameRecordHasAMessageThatAcceptsWhatFramesWrites() throws Exception {
        Set<String> documented = new HashSet<>();
        for (Map.Entry<String, JsonNode> message : document.get("components").get("messages").properties()) {
            if (message.getValue().has("x-frame-record")) {
                documented.add(message.getValue().get("x-frame-record").asString());
            }
        }
        Set<String> records = new HashSet<>();
        for (Class<?> type : ClientFrame.class.getPermittedSubclasses()) {
            if (type == ClientFrame.Unknown.class) {
                continue; // not a frame: what the gateway makes of a type it does not know
            }
            records.add("ClientFrame." + type.getSimpleName());
            assertAccepted("ClientFrame." + type.getSimpleName(), Frames.encode((ClientFrame) sample(type)));
        }
        for (Class<?> type : ServerFrame.class.getPermittedSubclasses()) {
            records.add("ServerFrame." + type.getSimpleName());
            assertAccepted("ServerFrame." + type.getSimpleName(), Frames.encode((ServerFrame) sample(type)));
        }
        assertThat(documented).as("the frame records with a message in asyncapi.yaml").isEqualTo(records);
    }

    @Test
    void describesTheTopicsGroupsAndDeadLetterHeadersOfTheCode() {
        Set<String> addresses = new HashSet<>();
        for (Map.Entry<String, JsonNode> channel : document.get("channels").properties()) {
            if (channel.getValue().path("bindings").has("kafka")) {
                addresses.add(channel.getValue().get("address").asString());
                assertThat(channel.getValue().at("/bindings/kafka/topic").asString()).isEqualTo(channel.getValue().get("address").asString());
            }
        }
        assertThat(addresses).containsExactlyInAnyOrder(Topics.USER_EVENTS, Topics.USER_EVENTS_DLT, Topics.CHANNEL_EVENTS,
                Topics.CHANNEL_EVENTS_DLT, Topics.RECEIPTS, Topics.RECEIPT_ALERTS, Topics.PREFERENCES);
        List<String> groups = new ArrayList<>();
        document.get("operations").forEach(operation -> {
            JsonNode group = operation.at("/bindings/kafka/groupId/const");
            if (!group.isMissingNode()) {
                groups.add(group.asString());
            }
        });
        assertThat(groups).containsExactlyInAnyOrder(Topics.STORE_GROUP, Topics.GATEWAY_GROUP, Topics.STORE_CHANNELS_GROUP,
                Topics.STORE_RECEIPTS_GROUP);
        assertThat(document.at("/components/schemas/DeadLetterHeaders/required").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder(Topics.DLT_REASON_HEADER, Topics.DLT_SOURCE_PARTITION_HEADER, Topics.DLT_SOURCE_OFFSET_HEADER);
        PreferenceSnapshot snapshot = new PreferenceSnapshot("alice", new Preferences(List.of(
                new Preferences.Rule("marketing.*", true))), 42);
        assertThat(Documents.validate(DOCUMENT, "/components/schemas/PreferenceSnapshot",
                Documents.JSON.readTree(snapshot.encode()))).isEmpty();
        ChannelMessage message = ChannelMessage.of("m-1", "order:42", "order.shipped", "Shipped", "", null, AT, AT, "it");
        assertThat(Documents.validate(DOCUMENT, "/components/schemas/ChannelMessageRecord",
                Documents.JSON.readTree(ChannelMessageCodec.encode(message)))).isEmpty();
        for (Receipt receipt : List.of(Receipt.delivered("alice", "e-1", AT, "ws://gw/ws", 2), Receipt.seen("alice", "e-1", AT, "ws://gw/ws"))) {
            assertThat(Documents.validate(DOCUMENT, "/components/schemas/ReceiptRecord",
                    Documents.JSON.readTree(ReceiptCodec.encode(receipt)))).isEmpty();
        }
    }

    @Test
    void theFramesOfALiveSessionMatchTheirMessages() {
        HeraldStack stack = HeraldStack.get();
        String user = HeraldStack.newUser("asyncapi");
        String channel = "docs:" + UUID.randomUUID().toString().substring(0, 8);
        String token = stack.tokenFor(user, List.of(channel));
        String gateway = Gateways.shared().get(0).baseUrl();
        Http.Response route = await().atMost(Duration.ofSeconds(20))
                .until(() -> Http.get(gateway + "/v1/route", token), answer -> answer.status() != 503);
        assertThat(route.status()).as(route.toString()).isEqualTo(200);

        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(route.json().get("url").asString()), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        try {
            socket.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\",\"sdk\":\"herald-docs-test/1\"}", true).join();
            awaitFrame(frames, "welcome");
            stack.send(user, "live");
            awaitFrame(frames, "notification");
            socket.sendText("{\"type\":\"ping\"}", true).join();
            awaitFrame(frames, "pong");
            socket.sendText("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).join();
            awaitFrame(frames, "subscribed");
            socket.sendText("{\"type\":\"subscribe\",\"channel\":\"other:1\"}", true).join();
            awaitFrame(frames, "error");
            socket.sendText("{\"type\":\"unsubscribe\",\"channel\":\"" + channel + "\"}", true).join();
            awaitFrame(frames, "unsubscribed");
        }
        finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        for (String frame : frames) {
            String type = Documents.JSON.readTree(frame).get("type").asString();
            assertThat(serverMessages(type)).as("a server message for %s", frame).isNotEmpty();
            assertThat(serverMessages(type).stream().anyMatch(message -> Documents.validate(DOCUMENT,
                    "/components/messages/" + message + "/payload", frame).isEmpty()))
                    .as("%s matches one of its messages %s", frame, serverMessages(type)).isTrue();
        }
    }

    private static void awaitFrame(List<String> frames, String type) {
        await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream()
                .anyMatch(frame -> Documents.JSON.readTree(frame).get("type").asString().equals(type)));
    }

    /** The component messages that the gateway sends with this {@code type}. */
    private List<String> serverMessages(String type) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> message : document.get("components").get("messages").properties()) {
            if (message.getValue().path("x-frame-record").asString("").startsWith("ServerFrame.")
                    && message.getValue().get("name").asString().equals(type)) {
                names.add(message.getKey());
            }
        }
        return names;
    }

    private void assertAccepted(String record, String json) {
        String message = null;
        for (Map.Entry<String, JsonNode> entry : document.get("components").get("messages").properties()) {
            if (entry.getValue().path("x-frame-record").asString("").equals(record)) {
                message = entry.getKey();
            }
        }
        assertThat(message).as("asyncapi.yaml has no message for %s (%s): document it", record, json).isNotNull();
        JsonNode frame = Documents.JSON.readTree(json);
        assertThat(document.at("/components/messages/" + message + "/name").asString())
                .as("%s: the message's name is the frame's type", record).isEqualTo(frame.get("type").asString());
        assertThat(Documents.validate(DOCUMENT, "/components/messages/" + message + "/payload", frame))
                .as("%s as Frames writes it: %s", record, json).isEmpty();
    }

    /** An instance of a frame record with a plausible value in every component (a cursor where one goes). */
    private static Object sample(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i], type);
        }
        return type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object value(RecordComponent component, Class<?> owner) {
        Class<?> type = component.getType();
        String name = component.getName();
        if (type == int.class) {
            return 1;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == Cursor.class) {
            return Cursor.parse(CURSOR);
        }
        if (type == List.class) {
            return List.of("e-1");
        }
        if (type == ServerFrame.Event.class) {
            // A channel message's event has no userId.
            return new ServerFrame.Event("e-1", owner == ServerFrame.Message.class ? null : "alice", "order.shipped", "Shipped",
                    "On its way", null, AT, AT, "it");
        }
        if (type == String.class) {
            return switch (name) {
                case "since", "cursor", "from", "to" -> CURSOR;
                case "channel" -> "order:42";
                case "code" -> "unknown-type";
                case "state" -> ServerFrame.State.ARCHIVED;
                case "scope" -> "read";
                default -> "x";
            };
        }
        throw new AssertionError(owner.getSimpleName() + "." + name + ": no sample value for " + type + "; add one to the test");
    }
}
