package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelsTests {

    @ParameterizedTest
    @ValueSource(strings = { "system", "order:42", "dashboard:ops", "a", "tenant-7:order.v2:item_3", "0" })
    void acceptsChannelNames(String name) {
        assertThat(Channels.problemWith(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "System", "order:", ":order", "order::42", "order 42", "-x", "a:b:c:d:e:f:g:h:i", "é",
            "order:*", "*" })
    void refusesWhatIsNotAChannelName(String name) {
        assertThat(Channels.problemWith(name)).get().asString().contains("a-z");
    }

    @Test
    void refusesNamesOverTheLengthLimit() {
        assertThat(Channels.problemWith("a".repeat(128))).isEmpty();
        assertThat(Channels.problemWith("a".repeat(129))).isPresent();
        assertThat(Channels.problemWith(null)).contains("is required");
        assertThat(Channels.problemWith("")).contains("is required");
    }

    @Test
    void patternsGrantTheirChannelAndWhatIsBelowIt() {
        assertThat(Channels.grants("order:42", "order:42")).isTrue();
        assertThat(Channels.grants("order:42", "order:43")).isFalse();
        assertThat(Channels.grants("order:*", "order:42")).isTrue();
        assertThat(Channels.grants("order:*", "order:42:items")).isTrue();
        assertThat(Channels.grants("order:*", "order")).isFalse();
        assertThat(Channels.grants("order:*", "orders:1")).isFalse();
        assertThat(Channels.grants("*", "anything:at-all")).isTrue();
        assertThat(Channels.anyGrants(List.of("system", "order:*"), "order:7")).isTrue();
        assertThat(Channels.anyGrants(List.of(), "system")).isFalse();
    }

    @Test
    void validatesPatterns() {
        for (String pattern : List.of("*", "system", "order:*", "a:b:*")) {
            assertThat(Channels.problemWithPattern(pattern)).as(pattern).isEmpty();
        }
        for (String pattern : List.of("order*", "*:x", "or*der", ":*", "", "Order:*")) {
            assertThat(Channels.problemWithPattern(pattern)).as(pattern).isPresent();
        }
    }

    @Test
    void theFamilyIsTheFirstSegment() {
        assertThat(Channels.familyOf("order:42")).isEqualTo("order");
        assertThat(Channels.familyOf("system")).isEqualTo("system");
    }

    @Test
    void aChannelMessageSurvivesItsCodecAndBadFieldsAreNamed() {
        Instant at = Instant.parse("2026-12-02T12:00:00Z");
        ChannelMessage message = ChannelMessage.of("m-1", "order:42", "order.shipped", "Shipped", "On its way",
                EnvelopeCodec.mapper().createObjectNode().put("orderId", 42), at, at, "shop");

        assertThat(ChannelMessageCodec.decode(ChannelMessageCodec.encode(message))).isEqualTo(message);
        byte[] bad = "{\"schemaVersion\":1,\"eventId\":\"m\",\"channel\":\"Bad Name\",\"type\":\"x\",\"title\":\"\",\"occurredAt\":\"now\",\"acceptedAt\":\"2026-12-02T12:00:00Z\",\"source\":\"s\"}"
                .getBytes();
        assertThatThrownBy(() -> ChannelMessageCodec.decode(bad)).isInstanceOf(InvalidEventException.class)
                .satisfies(ex -> assertThat(((InvalidEventException) ex).errors()).extracting(FieldError::field)
                        .contains("channel", "title", "occurredAt"));
    }
}
