package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class PayloadTests {

    private static ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private static Payload.Frame frame(String text) {
        return Payload.Frame.of(buffer(text));
    }

    @Test
    void readsTheSequenceAndSendTimeBackFromANotificationFrame() {
        String sent = Payload.notification("bench-1-7", 42, 123_456_789L);
        String data = sent.substring(sent.indexOf("\"data\":") + 7, sent.length() - 1);
        ByteBuf text = buffer("{\"type\":\"notification\",\"cursor\":\"3-17\",\"event\":{\"eventId\":\"e\",\"userId\":\"bench-1-7\","
                + "\"type\":\"bench.load\",\"title\":\"Bench 42 ünïcödé\",\"body\":null,\"data\":" + data + ",\"source\":\"dev\"}}");

        Payload.Frame frame = Payload.Frame.of(text);

        assertThat(frame.sequence()).isEqualTo(42);
        assertThat(frame.sentNanos()).isEqualTo(123_456_789L);
        assertThat(text.readerIndex()).as("reading does not consume the buffer").isZero();
    }

    @Test
    void readsTheSequenceAndSendTimeBackFromAChannelMessageFrame() {
        String posted = Payload.channelMessage(17, 987_654_321L);
        assertThat(posted).isEqualTo("{\"type\":\"bench.fan\",\"title\":\"Bench 17\",\"body\":\"\",\"data\":{\"hbS\":17,\"hbT\":987654321}}");
        String data = posted.substring(posted.indexOf("\"data\":") + 7, posted.length() - 1);
        Payload.Frame frame = frame("{\"type\":\"message\",\"channel\":\"bench:fan\",\"cursor\":\"2-17@ep\",\"event\":{\"eventId\":\"m\","
                + "\"type\":\"bench.fan\",\"title\":\"Bench 17\",\"body\":\"\",\"data\":" + data + ",\"occurredAt\":\"2026-12-01T10:00:00Z\","
                + "\"acceptedAt\":\"2026-12-01T10:00:00Z\",\"source\":\"dev\"}}");

        assertThat(frame.startsWith(Payload.ascii("{\"type\":\"message\""))).isTrue();
        assertThat(frame.sequence()).isEqualTo(17);
        assertThat(frame.sentNanos()).isEqualTo(987_654_321L);
    }

    @Test
    void readsOnlyTheReadableBytesOfASliceOfALargerBuffer() {
        ByteBuf buffer = buffer("xx\"hbS\":1{\"data\":{\"hbS\":7,\"hbT\":99}}\"hbT\":5");
        ByteBuf slice = buffer.slice(9, buffer.readableBytes() - 9 - 7);

        Payload.Frame frame = Payload.Frame.of(slice);

        assertThat(frame.sequence()).isEqualTo(7);
        assertThat(frame.sentNanos()).isEqualTo(99);
        assertThat(frame.startsWith(Payload.ascii("{\"data\""))).isTrue();
    }

    @Test
    void aLongFrameAfterAShortOneOnTheSameThreadIsReadWhole() {
        frame("{\"type\":\"ping\"}");
        String padding = "x".repeat(5_000);

        Payload.Frame frame = frame("{\"title\":\"" + padding + "\",\"data\":{\"hbS\":3,\"hbT\":4}}");

        assertThat(frame.sequence()).isEqualTo(3);
        assertThat(frame.sentNanos()).isEqualTo(4);
        assertThat(frame("{\"hbS\":1}").sentNanos()).as("nothing left over from the longer frame").isEqualTo(-1);
    }

    @Test
    void framesWithoutTheBenchFieldsAreNotCounted() {
        assertThat(frame("{\"type\":\"read\",\"cursor\":\"1-2\"}").sequence()).isEqualTo(-1);
        assertThat(frame("{\"type\":\"notification\",\"event\":{\"data\":{\"hbT\":\"x\"}}}").sentNanos()).isEqualTo(-1);
        assertThat(frame("{\"hbT\":").sentNanos()).isEqualTo(-1);
    }

    @Test
    void recognisesControlFramesByTheirStartAndErrorsByTheirCode() {
        assertThat(frame("{\"type\":\"ping\"}").startsWith(Payload.ascii("{\"type\":\"ping\""))).isTrue();
        assertThat(frame("{\"type\"").startsWith(Payload.ascii("{\"type\":\"ping\""))).isFalse();
        assertThat(frame("{\"type\":\"error\",\"code\":\"channels-unavailable\"}").contains(Payload.ascii("\"channels-unavailable\"")))
                .isTrue();
    }
}
