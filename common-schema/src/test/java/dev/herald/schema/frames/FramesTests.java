package dev.herald.schema.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;

class FramesTests {

    private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

    @Test
    void notificationFrameCarriesTheCursorAndTheEventFieldsUnderEvent() {
        Envelope envelope = Envelope.notification("e-1", "alice", "order.shipped", "Shipped", "On its way",
                EnvelopeCodec.mapper().createObjectNode().put("orderId", 42), AT, AT, "shop");

        String text = Frames.encode(ServerFrame.Notification.of(new Cursor(3, 17), envelope));

        assertThat(EnvelopeCodec.mapper().readTree(text).get("type").asString()).isEqualTo("notification");
        assertThat(EnvelopeCodec.mapper().readTree(text).get("event").get("type").asString()).isEqualTo("order.shipped");
        ServerFrame.Notification back = (ServerFrame.Notification) Frames.decodeServer(text);
        assertThat(back.cursor()).isEqualTo(new Cursor(3, 17));
        assertThat(back.event().eventId()).isEqualTo("e-1");
        assertThat(back.event().data().get("orderId").asInt()).isEqualTo(42);
        assertThat(back.event().acceptedAt()).isEqualTo(AT);
    }

    @Test
    void everyServerFrameSurvivesARoundTrip() {
        List<ServerFrame> frames = List.of(new ServerFrame.Welcome(2, new Cursor(2, -1), 0),
                new ServerFrame.Welcome(2, new Cursor(2, 9, "e1"), 3),
                new ServerFrame.Read(new Cursor(1, 9), "r-1", List.of("a", "b"), false),
                new ServerFrame.Read(new Cursor(1, 10), "r-2", List.of(), true),
                new ServerFrame.Read(new Cursor(1, 11), "r-3", List.of("m-1"), false, "system"),
                new ServerFrame.State(new Cursor(1, 12), "s-1", ServerFrame.State.SEEN, List.of("a"), false, null, null),
                new ServerFrame.State(new Cursor(1, 13), "s-2", ServerFrame.State.ARCHIVED, List.of(), true, "read", null),
                new ServerFrame.State(new Cursor(1, 14), "s-3", ServerFrame.State.UNARCHIVED, List.of("m-1"), false, null,
                        "system"),
                new ServerFrame.Resync("1-3", 1, "older than history", new Cursor(1, 3), new Cursor(1, 40, "e1")),
                new ServerFrame.Resync("1-99", 1, "ahead of the log", null, new Cursor(1, 40)),
                new ServerFrame.Subscribed("order:42", new Cursor(1, 7, "c1"), 2),
                new ServerFrame.Message("order:42", new Cursor(1, 8, "c1"), new ServerFrame.Event("m-1", null, "order.shipped",
                        "Shipped", "", null, AT, AT, "shop")),
                new ServerFrame.ChannelResync("system", "0-3", "older than history", new Cursor(0, 3), new Cursor(0, 9)),
                new ServerFrame.Unsubscribed("order:42", "no longer granted"),
                new ServerFrame.Ping(),
                new ServerFrame.Pong(), new ServerFrame.Error("unknown-type", "no such frame"),
                new ServerFrame.Error("channel-forbidden", "not granted", "order:42"));

        for (ServerFrame frame : frames) {
            assertThat(Frames.decodeServer(Frames.encode(frame))).isEqualTo(frame);
        }
    }

    @Test
    void eachItemStateEventHasItsStateFrame() {
        Instant at = Instant.parse("2026-12-03T10:00:00Z");
        Cursor cursor = new Cursor(3, 7);
        assertThat(ServerFrame.State.of(cursor, Envelope.seenAll("e", "u", at, "s")))
                .isEqualTo(new ServerFrame.State(cursor, "e", "seen", List.of(), true, null, null));
        assertThat(ServerFrame.State.of(cursor, Envelope.archive("e", "u", "system", List.of("m"), at, "s")))
                .isEqualTo(new ServerFrame.State(cursor, "e", "archived", List.of("m"), false, null, "system"));
        assertThat(ServerFrame.State.of(cursor, Envelope.archiveAll("e", "u",
                ArchiveScope.READ, at, "s")))
                .isEqualTo(new ServerFrame.State(cursor, "e", "archived", List.of(), true, "read", null));
        assertThat(ServerFrame.State.of(cursor, Envelope.unarchive("e", "u", null, List.of("x"), at, "s")).state())
                .isEqualTo("unarchived");
    }

    @Test
    void authFrameWithAndWithoutSinceIsUnderstood() {
        assertThat(Frames.decodeClient("{\"type\":\"auth\",\"token\":\"t\",\"since\":\"3-4\"}"))
                .isEqualTo(new ClientFrame.Auth("t", "3-4"));
        assertThat(Frames.decodeClient(Frames.encode(new ClientFrame.Auth("t", null))))
                .isEqualTo(new ClientFrame.Auth("t", null));
    }

    @Test
    void authFrameMayNameItsSdk() {
        assertThat(Frames.decodeClient("{\"type\":\"auth\",\"token\":\"t\",\"sdk\":\"herald-browser/1.0.0\"}"))
                .isEqualTo(new ClientFrame.Auth("t", null, "herald-browser/1.0.0"));
        ClientFrame.Auth named = new ClientFrame.Auth("t", "3-4", "herald-php/0.1.0");
        assertThat(Frames.decodeClient(Frames.encode(named))).isEqualTo(named);
        assertThat(Frames.encode(new ClientFrame.Auth("t", null))).doesNotContain("sdk");
    }

    @Test
    void authFrameWithABadSdkIsMalformed() {
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"auth\",\"token\":\"t\",\"sdk\":1}"))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("'sdk' must be a string");
        String tooLong = "x".repeat(ClientFrame.Auth.MAX_SDK_LENGTH + 1);
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"auth\",\"token\":\"t\",\"sdk\":\"" + tooLong + "\"}"))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining("at most 64 characters");
        assertThat(Frames.decodeClient("{\"type\":\"auth\",\"token\":\"t\",\"sdk\":\"" + tooLong.substring(1) + "\"}"))
                .isEqualTo(new ClientFrame.Auth("t", null, tooLong.substring(1)));
    }

    @Test
    void subscribeAndUnsubscribeSurviveARoundTrip() {
        for (ClientFrame frame : List.of(new ClientFrame.Subscribe("order:42", "1-7@c1"), new ClientFrame.Subscribe("system", null),
                new ClientFrame.Unsubscribe("order:42"))) {
            assertThat(Frames.decodeClient(Frames.encode(frame))).isEqualTo(frame);
        }
    }

    @Test
    void unknownClientFrameTypeIsReportedNotRejected() {
        assertThat(Frames.decodeClient("{\"type\":\"publish\",\"x\":1}")).isEqualTo(new ClientFrame.Unknown("publish"));
    }

    @Test
    void malformedClientFramesAreRejectedWithAReason() {
        assertThatThrownBy(() -> Frames.decodeClient("{nope")).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Frames.decodeClient("[1]")).isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> Frames.decodeClient("{\"token\":\"t\"}")).hasMessageContaining("type");
        assertThatThrownBy(() -> Frames.decodeClient("{\"type\":\"auth\",\"token\":7}")).hasMessageContaining("token");
    }
}
