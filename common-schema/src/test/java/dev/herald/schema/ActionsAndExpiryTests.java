package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/** The rules of a notification's {@code actions} and {@code expiresAt}, and that old records still decode. */
class ActionsAndExpiryTests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static final List<NotificationAction> TWO = List.of(
            NotificationAction.link("open", "Open order", "https://shop.example/orders/42"),
            NotificationAction.named("archive", "Archive", "archive"));

    @Test
    void roundTripsActionsAndExpiryThroughTheEnvelope() {
        Envelope event = Envelope.notification("e-1", "alice", "order.shipped", "Shipped", "", null, NOW, NOW, "shop",
                TWO, NOW.plusSeconds(60));
        Envelope decoded = EnvelopeCodec.decode(EnvelopeCodec.encode(event));
        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.actions()).containsExactlyElementsOf(TWO);
        assertThat(decoded.expiredAt(NOW.plusSeconds(59))).isFalse();
        assertThat(decoded.expiredAt(NOW.plusSeconds(60))).isTrue();
    }

    @Test
    void decodesARecordWithoutThemAsBefore() {
        Envelope old = EnvelopeCodec.decode(EnvelopeCodec.encode(EnvelopeCodecTests.notification()));
        assertThat(old.actions()).isEmpty();
        assertThat(old.expiresAt()).isNull();
        assertThat(EnvelopeCodec.toJson(old).has("actions")).isFalse();
        assertThat(EnvelopeCodec.toJson(old).has("expiresAt")).isFalse();
    }

    @Test
    void decodesARecordThatHasExpiredSinceItWasAccepted() {
        Envelope event = Envelope.notification("e-1", "alice", "t", "T", "", null, NOW, NOW, "shop", List.of(),
                NOW.plusSeconds(1));
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(event)).expiresAt()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void roundTripsThemThroughTheChannelMessageAndTheFrames() {
        ChannelMessage message = ChannelMessage.of("m-1", "system", "system.maintenance", "Down", "", null, NOW, NOW, "ops",
                TWO, NOW.plusSeconds(5));
        assertThat(ChannelMessageCodec.decode(ChannelMessageCodec.encode(message))).isEqualTo(message);
        Envelope event = Envelope.notification("e-1", "alice", "t", "T", "", null, NOW, NOW, "shop", TWO, NOW.plusSeconds(5));
        ServerFrame.Notification frame = ServerFrame.Notification.of(new Cursor(3, 7), event);
        ServerFrame read = Frames.decodeServer(Frames.encode(frame));
        assertThat(read).isEqualTo(frame);
        assertThat(((ServerFrame.Notification) read).event().actions()).containsExactlyElementsOf(TWO);
    }

    @Test
    void refusesEachBadActionNamingItsField() {
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"url\":\"https://x.example\"},"
                + "{\"id\":\"b\",\"label\":\"B\",\"action\":\"b\"},{\"id\":\"c\",\"label\":\"C\",\"action\":\"c\"}]"))
                .containsExactly("actions");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"url\":\"https://x.example\",\"action\":\"go\"}]"))
                .containsExactly("actions[0].action");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\"}]")).containsExactly("actions[0].url");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"" + "x".repeat(41) + "\",\"action\":\"go\"}]"))
                .containsExactly("actions[0].label");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"tab\\there\",\"action\":\"go\"}]")).containsExactly("actions[0].label");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"action\":\"go\"},{\"id\":\"b\",\"label\":\"B\",\"url\":\"javascript:alert(1)\"}]"))
                .containsExactly("actions[1].url");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"url\":\"/relative\"}]")).containsExactly("actions[0].url");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"url\":\"https://x.example/" + "p".repeat(2000) + "\"}]"))
                .containsExactly("actions[0].url");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"action\":\"Go Now\"}]")).containsExactly("actions[0].action");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"action\":\"x\"},{\"id\":\"a\",\"label\":\"B\",\"action\":\"y\"}]"))
                .containsExactly("actions[1].id");
        assertThat(errors("[{\"id\":\"has space\",\"label\":\"A\",\"action\":\"x\"}]")).containsExactly("actions[0].id");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"action\":\"x\",\"icon\":\"y\"}]")).containsExactly("actions[0].icon");
        assertThat(errors("{\"id\":\"a\"}")).containsExactly("actions");
        assertThat(errors("[{\"id\":\"a\",\"label\":\"A\",\"url\":\"HTTPS://x.example/ok?q=1\"}]")).isEmpty();
    }

    @Test
    void refusesAnExpiryThatIsPastTooFarOrNotAnInstant() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(NotificationFields.expiresAt(json("\"2026-12-03T12:00:00Z\""), "expiresAt", NOW, errors)).isNull();
        assertThat(NotificationFields.expiresAt(json("\"2026-12-03T11:00:00Z\""), "expiresAt", NOW, errors)).isNull();
        assertThat(NotificationFields.expiresAt(json("\"2028-01-01T00:00:00Z\""), "expiresAt", NOW, errors)).isNull();
        assertThat(NotificationFields.expiresAt(json("\"tomorrow\""), "expiresAt", NOW, errors)).isNull();
        assertThat(NotificationFields.expiresAt(json("1764763200000"), "expiresAt", NOW, errors)).isNull();
        assertThat(errors).extracting(FieldError::field).containsOnly("expiresAt").hasSize(5);
        assertThat(NotificationFields.expiresAt(json("\"2026-12-03T12:00:01Z\""), "expiresAt", NOW, errors))
                .isEqualTo(NOW.plusSeconds(1));
        assertThat(NotificationFields.expiresAt(json("null"), "expiresAt", NOW, errors)).isNull();
        assertThat(errors).hasSize(5);
    }

    @Test
    void theSchemaAgreesWithTheCodec() throws Exception {
        Schema schema;
        try (InputStream in = Envelope.class.getResourceAsStream("envelope-v1.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        ObjectNode good = EnvelopeCodec.toJson(Envelope.notification("e-1", "alice", "t", "T", "", null, NOW, NOW, "shop",
                TWO, NOW.plusSeconds(5)));
        assertThat(schema.validate(good)).isEmpty();
        for (String bad : List.of(
                "[{\"id\":\"a\",\"label\":\"A\",\"url\":\"https://x.example\",\"action\":\"go\"}]",
                "[{\"id\":\"a\",\"label\":\"A\"}]",
                "[{\"id\":\"a\",\"label\":\"" + "x".repeat(41) + "\",\"action\":\"go\"}]",
                "[{\"id\":\"a\",\"label\":\"A\",\"url\":\"ftp://x.example\"}]",
                "[{\"id\":\"a\",\"label\":\"A\",\"action\":\"x\",\"icon\":\"y\"}]",
                "[{\"id\":\"a\",\"label\":\"A\",\"action\":\"a\"},{\"id\":\"b\",\"label\":\"B\",\"action\":\"b\"},{\"id\":\"c\",\"label\":\"C\",\"action\":\"c\"}]")) {
            ObjectNode json = good.deepCopy();
            json.set("actions", json(bad));
            assertThat(schema.validate(json)).as("schema refuses %s", bad).isNotEmpty();
            assertThat(errors(bad)).as("codec refuses %s", bad).isNotEmpty();
        }
    }

    private static List<String> errors(String actions) {
        List<FieldError> errors = new ArrayList<>();
        NotificationFields.actions(json(actions), "actions", errors);
        return errors.stream().map(FieldError::field).toList();
    }

    private static JsonNode json(String text) {
        return EnvelopeCodec.mapper().readTree(text);
    }
}
