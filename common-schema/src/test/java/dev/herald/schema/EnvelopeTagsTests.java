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

import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

import tools.jackson.databind.node.ObjectNode;

/** Tags set at send time (issue 17 item 2): optional, additive, validated alike by codec and schema. */
class EnvelopeTagsTests {

    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = Envelope.class.getResourceAsStream("envelope-v1.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    static Envelope tagged() {
        return Envelope.notification("e-1", "alice", "order.shipped", "Shipped", "", null, EnvelopeCodecTests.AT,
                EnvelopeCodecTests.AT, "shop", List.of("vip", "eu-west"));
    }

    @Test
    void tagsRoundTripAndTheSchemaAcceptsThem() {
        ObjectNode json = EnvelopeCodec.toJson(tagged());
        assertThat(json.get("tags")).hasSize(2);
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(tagged()))).isEqualTo(tagged());
        assertThat(schema.validate(json)).isEmpty();
    }

    @Test
    void aRecordWithoutTagsStillDecodesAndIsWrittenWithoutThem() {
        Envelope old = EnvelopeCodecTests.notification();
        assertThat(EnvelopeCodec.toJson(old).has("tags")).isFalse();
        assertThat(EnvelopeCodec.fromJson(EnvelopeCodec.toJson(old)).tags()).isEmpty();
    }

    @Test
    void onlyNotificationsCarryTags() {
        Envelope read = new Envelope("r", EventKind.READ, "alice", null, null, null, null, List.of("e"),
                EnvelopeCodecTests.AT, EnvelopeCodecTests.AT, "s", 1, null, null, null, false, List.of(), null, List.of("vip"));
        assertThat(read.tags()).isEmpty();
    }

    @Test
    void codecAndSchemaRefuseBadTagsNamingTheIndex() {
        List<Consumer<ObjectNode>> breakages = List.of(
                json -> json.putArray("tags").add("vip").add("VIP!"),
                json -> json.putArray("tags").add("vip").add("vip"),
                json -> json.putArray("tags").add("x".repeat(NotificationFields.MAX_TAG_LENGTH + 1)),
                json -> json.putArray("tags").add("a").add(7),
                json -> {
                    var tags = json.putArray("tags");
                    for (int i = 0; i <= NotificationFields.MAX_TAGS; i++) {
                        tags.add("t" + i);
                    }
                },
                json -> json.put("tags", "vip"));
        List<String> fields = List.of("tags[1]", "tags[1]", "tags[0]", "tags[1]", "tags", "tags");
        for (int i = 0; i < breakages.size(); i++) {
            ObjectNode json = EnvelopeCodec.toJson(tagged());
            breakages.get(i).accept(json);
            assertThat(schema.validate(json)).as("schema refuses %s", json).isNotEmpty();
            String field = fields.get(i);
            assertThatThrownBy(() -> EnvelopeCodec.fromJson(json))
                    .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                            .extracting(FieldError::field).containsExactly(field));
        }
    }

    @Test
    void theNotificationFrameCarriesTheTags() {
        ServerFrame.Notification frame = ServerFrame.Notification.of(Cursor.parse("3-7"), tagged());
        String wire = Frames.encode(frame);
        assertThat(wire).contains("\"tags\":[\"vip\",\"eu-west\"]");
        assertThat(((ServerFrame.Notification) Frames.decodeServer(wire)).event().tags()).containsExactly("vip", "eu-west");
        assertThat(Frames.encode(ServerFrame.Notification.of(Cursor.parse("3-7"), EnvelopeCodecTests.notification())))
                .doesNotContain("tags");
    }
}
