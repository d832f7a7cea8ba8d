package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.node.ObjectNode;

/**
 * The shipped JSON Schema is what other languages validate with; the Java codec is what Herald
 * validates with. They must agree: every sample is accepted by both or refused by both.
 */
class EnvelopeSchemaTests {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = Envelope.class.getResourceAsStream("envelope-v1.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void acceptsWhatTheCodecWrites() {
        for (Envelope event : List.of(EnvelopeCodecTests.notification(),
                Envelope.read("r-1", "alice", List.of("e-1"), EnvelopeCodecTests.AT, "store"),
                Envelope.readAll("ra-1", "alice", EnvelopeCodecTests.AT, "store"), EnvelopeCodecTests.preferences(),
                EnvelopeCodecTests.critical())) {
            assertThat(schema.validate(EnvelopeCodec.toJson(event))).isEmpty();
        }
        for (Envelope event : EnvelopeCodecTests.itemStateEvents()) {
            assertThat(schema.validate(EnvelopeCodec.toJson(event))).as(event.kind().wireName()).isEmpty();
        }
    }

    @Test
    void refusesWhatTheCodecRefusesOfTheItemStateKinds() {
        ObjectNode badScope = EnvelopeCodec.toJson(Envelope.archiveAll("aa", "alice", ArchiveScope.READ, EnvelopeCodecTests.AT, "s"))
                .put("scope", "unread");
        ObjectNode seenWithoutRefs = EnvelopeCodec.toJson(Envelope.seen("s", "alice", null, List.of("e"), EnvelopeCodecTests.AT, "s"));
        seenWithoutRefs.remove("refs");
        for (ObjectNode json : List.of(badScope, seenWithoutRefs)) {
            assertThat(schema.validate(json)).as("schema refuses %s", json).isNotEmpty();
            assertThatThrownBy(() -> EnvelopeCodec.fromJson(json))
                    .isInstanceOf(InvalidEventException.class);
        }
    }

    @Test
    void refusesBadPreferenceSetsAsTheCodecDoes() {
        List<Consumer<ObjectNode>> breakages = List.of(
                json -> json.remove("preferences"),
                json -> ((ObjectNode) json.get("preferences")).remove("rules"),
                json -> ((ObjectNode) json.get("preferences").get("rules").get(0)).put("type", "Marketing"),
                json -> ((ObjectNode) json.get("preferences").get("rules").get(0)).put("type", "marketing.*.x"),
                json -> ((ObjectNode) json.get("preferences").get("rules").get(0)).put("mute", "yes"),
                json -> ((ObjectNode) json.get("preferences").get("rules").get(0)).remove("mute"),
                json -> {
                    var rules = json.withArray("/preferences/rules");
                    for (int i = 0; i < Preferences.MAX_RULES; i++) {
                        rules.addObject().put("type", "t" + i).put("mute", true);
                    }
                });
        for (Consumer<ObjectNode> breakage : breakages) {
            ObjectNode json = EnvelopeCodec.toJson(EnvelopeCodecTests.preferences());
            breakage.accept(json);
            boolean codecRefuses;
            try {
                EnvelopeCodec.fromJson(json);
                codecRefuses = false;
            }
            catch (InvalidEventException ex) {
                codecRefuses = true;
            }
            assertThat(codecRefuses).as("codec refuses %s", json).isTrue();
            assertThat(schema.validate(json)).as("schema refuses %s", json).isNotEmpty();
        }
    }

    @Test
    void refusesWhatTheCodecRefuses() {
        List<Consumer<ObjectNode>> breakages = List.of(
                json -> json.remove("eventId"),
                json -> json.put("eventId", "has space"),
                json -> json.put("kind", "shout"),
                json -> json.remove("userId"),
                json -> json.put("userId", " padded"),
                json -> json.put("type", "Order Shipped"),
                json -> json.remove("title"),
                json -> json.put("title", ""),
                json -> json.put("body", "x".repeat(NotificationFields.MAX_BODY_LENGTH + 1)),
                json -> json.put("data", 5),
                json -> json.put("schemaVersion", 2),
                json -> json.remove("acceptedAt"),
                json -> json.remove("source"),
                json -> json.put("critical", "yes"));
        for (Consumer<ObjectNode> breakage : breakages) {
            ObjectNode json = EnvelopeCodec.toJson(EnvelopeCodecTests.notification());
            breakage.accept(json);
            boolean codecRefuses;
            try {
                EnvelopeCodec.fromJson(json);
                codecRefuses = false;
            }
            catch (InvalidEventException ex) {
                codecRefuses = true;
            }
            assertThat(codecRefuses).as("codec refuses %s", json).isTrue();
            assertThat(schema.validate(json)).as("schema refuses %s", json).isNotEmpty();
        }
    }
}
