package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.ObjectNode;

class EnvelopeCodecTests {

    static final Instant AT = Instant.parse("2026-11-28T10:15:30.123Z");

    static Envelope notification() {
        ObjectNode data = EnvelopeCodec.mapper().createObjectNode().put("orderId", 42);
        return Envelope.notification("e-1", "alice", "order.shipped", "Shipped", "On its way", data, AT, AT.plusMillis(5), "shop");
    }

    static Envelope preferences() {
        return Envelope.preferences("p-1", "alice", new Preferences(List.of(new Preferences.Rule("marketing.*", true),
                new Preferences.Rule("marketing.digest", false))), AT, "store");
    }

    static Envelope critical() {
        return Envelope.notification("e-2", "alice", "security.login", "New sign-in", "", null, AT, AT, "shop", true);
    }

    @Test
    void recordsOfEarlierVersionsAreNotCriticalAndCarryNoPreferences() {
        ObjectNode json = EnvelopeCodec.toJson(notification());
        assertThat(json.has("critical")).isFalse();
        Envelope decoded = EnvelopeCodec.fromJson(json);
        assertThat(decoded.critical()).isFalse();
        assertThat(decoded.preferences()).isNull();
        assertThat(EnvelopeCodec.toJson(critical()).get("critical").booleanValue()).isTrue();
    }

    @Test
    void aPreferencesEventNamesItsBadRulesUnderPreferences() {
        ObjectNode json = EnvelopeCodec.toJson(preferences());
        ((ObjectNode) json.get("preferences").get("rules").get(1)).put("type", "Bad Type");
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(json))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("preferences.rules[1].type"));
        json.remove("preferences");
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(json))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("preferences"));
        ObjectNode notCritical = EnvelopeCodec.toJson(notification()).put("critical", "yes");
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(notCritical))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("critical"));
    }

    @Test
    void roundTripsEveryKind() {
        for (Envelope event : List.of(notification(), Envelope.read("r-1", "alice", List.of("e-1", "e-2"), AT, "store"),
                Envelope.readChannel("rc-1", "alice", "system", List.of("m-1"), AT, "store"),
                Envelope.readAll("ra-1", "alice", AT, "store"), preferences(), critical())) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(event))).isEqualTo(event);
        }
    }

    @Test
    void serdeUsesTheCodec() {
        byte[] bytes = new EnvelopeSerializer().serialize("t", notification());
        assertThat(new EnvelopeDeserializer().deserialize("t", bytes)).isEqualTo(notification());
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"kind\":\"notification\"", "\"schemaVersion\":1");
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() {
        ObjectNode json = EnvelopeCodec.toJson(notification()).put("priority", "high");
        assertThat(EnvelopeCodec.fromJson(json)).isEqualTo(notification());
    }

    @Test
    void namesEveryBadField() {
        ObjectNode json = EnvelopeCodec.toJson(notification());
        json.put("type", "Not A Type").put("title", "").remove("userId");
        json.put("occurredAt", "yesterday");
        json.put("data", "not an object");

        assertThatThrownBy(() -> EnvelopeCodec.fromJson(json))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field)
                        .containsExactlyInAnyOrder("type", "title", "userId", "occurredAt", "data"));
    }

    @Test
    void refusesWhatIsNotAnEnvelope() {
        assertThatThrownBy(() -> EnvelopeCodec.decode("{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> EnvelopeCodec.decode(new byte[0])).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> EnvelopeCodec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("must be a JSON object");
        ObjectNode read = EnvelopeCodec.toJson(Envelope.read("r", "alice", List.of("e"), AT, "s"));
        read.putArray("refs");
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(read)).hasMessageContaining("refs");
        ObjectNode future = EnvelopeCodec.toJson(notification()).put("schemaVersion", 2);
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(future)).hasMessageContaining("schemaVersion");
    }

    @Test
    void aReadOfChannelMessagesNamesItsChannelAndAReadOfOwnNotificationsNone() {
        ObjectNode channelRead = EnvelopeCodec.toJson(Envelope.readChannel("rc", "alice", "system", List.of("m"), AT, "s"));
        assertThat(channelRead.get("channel").asString()).isEqualTo("system");
        assertThat(EnvelopeCodec.toJson(Envelope.read("r", "alice", List.of("e"), AT, "s")).has("channel")).isFalse();
        channelRead.put("channel", "Not A Channel");
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(channelRead))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("channel"));
    }

    /** The item-state kinds (issue 17) round-trip, with their channel and archive scope. */
    static List<Envelope> itemStateEvents() {
        return List.of(Envelope.seen("s-1", "alice", null, List.of("e-1"), AT, "store"),
                Envelope.seen("sc-1", "alice", "system", List.of("m-1", "m-2"), AT, "store"),
                Envelope.seenAll("sa-1", "alice", AT, "store"),
                Envelope.archive("a-1", "alice", null, List.of("e-1"), AT, "store"),
                Envelope.archive("ac-1", "alice", "system", List.of("m-1"), AT, "store"),
                Envelope.unarchive("u-1", "alice", null, List.of("e-1"), AT, "store"),
                Envelope.unarchive("uc-1", "alice", "system", List.of("m-1"), AT, "store"),
                Envelope.archiveAll("aa-1", "alice", ArchiveScope.READ, AT, "store"),
                Envelope.archiveAll("aa-2", "alice", ArchiveScope.ALL, AT, "store"));
    }

    @Test
    void roundTripsTheItemStateKinds() {
        for (Envelope event : itemStateEvents()) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(event))).isEqualTo(event);
        }
        ObjectNode archiveAll = EnvelopeCodec.toJson(Envelope.archiveAll("aa", "alice", ArchiveScope.READ, AT, "s"));
        assertThat(archiveAll.get("scope").asString()).isEqualTo("read");
        assertThat(archiveAll.has("refs")).isFalse();
        assertThat(EnvelopeCodec.toJson(Envelope.seenAll("sa", "alice", AT, "s")).has("scope")).isFalse();
    }

    @Test
    void anArchiveAllWithoutAScopeArchivesAllAndABadScopeIsNamed() {
        ObjectNode json = EnvelopeCodec.toJson(Envelope.archiveAll("aa", "alice", ArchiveScope.READ, AT, "s"));
        json.remove("scope");
        assertThat(EnvelopeCodec.fromJson(json).scope()).isEqualTo(ArchiveScope.ALL);
        json.put("scope", "unread");
        assertThatThrownBy(() -> EnvelopeCodec.fromJson(json))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactly("scope"));
    }

    @Test
    void theItemStateKindsThatNameItemsNeedRefs() {
        for (Envelope event : List.of(Envelope.seen("s", "alice", null, List.of("e"), AT, "s"),
                Envelope.archive("a", "alice", null, List.of("e"), AT, "s"),
                Envelope.unarchive("u", "alice", null, List.of("e"), AT, "s"))) {
            ObjectNode json = EnvelopeCodec.toJson(event);
            json.remove("refs");
            assertThatThrownBy(() -> EnvelopeCodec.fromJson(json)).as(event.kind().wireName()).hasMessageContaining("refs");
        }
    }

    @Test
    void findsTheEventIdOfARecordThatIsOtherwiseInvalid() {
        assertThat(EnvelopeCodec.eventIdOf("{\"eventId\":\"e-9\",\"kind\":\"shout\"}".getBytes(StandardCharsets.UTF_8))).contains("e-9");
        assertThat(EnvelopeCodec.eventIdOf("{not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(EnvelopeCodec.eventIdOf("{\"eventId\":\"has space\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
