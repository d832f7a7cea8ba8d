package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class PayloadTests {

    private static ByteBuf frame(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheSequenceAndSendTimeBackFromANotificationFrame() {
        String sent = Payload.notification("bench-1-7", 42, 123_456_789L);
        String data = sent.substring(sent.indexOf("\"data\":") + 7, sent.length() - 1);
        ByteBuf frame = frame("{\"type\":\"notification\",\"cursor\":\"3-17\",\"event\":{\"eventId\":\"e\",\"userId\":\"bench-1-7\","
                + "\"type\":\"bench.load\",\"title\":\"Bench 42 ünïcödé\",\"body\":null,\"data\":" + data + ",\"source\":\"dev\"}}");

        assertThat(Payload.sequence(frame)).isEqualTo(42);
        assertThat(Payload.sentNanos(frame)).isEqualTo(123_456_789L);
        assertThat(frame.readerIndex()).as("scanning does not consume the frame").isZero();
    }

    @Test
    void readsTheSequenceAndSendTimeBackFromAChannelMessageFrame() {
        String posted = Payload.channelMessage(17, 987_654_321L);
        assertThat(posted).isEqualTo("{\"type\":\"bench.fan\",\"title\":\"Bench 17\",\"body\":\"\",\"data\":{\"hbS\":17,\"hbT\":987654321}}");
        String data = posted.substring(posted.indexOf("\"data\":") + 7, posted.length() - 1);
        ByteBuf frame = frame("{\"type\":\"message\",\"channel\":\"bench:fan\",\"cursor\":\"2-17@ep\",\"event\":{\"eventId\":\"m\","
                + "\"type\":\"bench.fan\",\"title\":\"Bench 17\",\"body\":\"\",\"data\":" + data + ",\"occurredAt\":\"2026-12-01T10:00:00Z\","
                + "\"acceptedAt\":\"2026-12-01T10:00:00Z\",\"source\":\"dev\"}}");

        assertThat(Payload.sequence(frame)).isEqualTo(17);
        assertThat(Payload.sentNanos(frame)).isEqualTo(987_654_321L);
    }

    @Test
    void findsTheFieldsInASliceOfALargerBuffer() {
        ByteBuf buffer = frame("xx\"hbS\":1{\"data\":{\"hbS\":7,\"hbT\":99}}");
        ByteBuf frame = buffer.slice(9, buffer.readableBytes() - 9);

        assertThat(Payload.sequence(frame)).isEqualTo(7);
        assertThat(Payload.sentNanos(frame)).isEqualTo(99);
        assertThat(Payload.startsWith(frame, Payload.ascii("{\"data\""))).isTrue();
    }

    @Test
    void framesWithoutTheBenchFieldsAreNotCounted() {
        assertThat(Payload.sequence(frame("{\"type\":\"read\",\"cursor\":\"1-2\"}"))).isEqualTo(-1);
        assertThat(Payload.sentNanos(frame("{\"type\":\"notification\",\"event\":{\"data\":{\"hbT\":\"x\"}}}"))).isEqualTo(-1);
        assertThat(Payload.sentNanos(frame("{\"hbT\":"))).isEqualTo(-1);
    }

    @Test
    void recognisesControlFramesByTheirStart() {
        assertThat(Payload.startsWith(frame("{\"type\":\"ping\"}"), Payload.ascii("{\"type\":\"ping\""))).isTrue();
        assertThat(Payload.startsWith(frame("{\"type\""), Payload.ascii("{\"type\":\"ping\""))).isFalse();
    }
}
