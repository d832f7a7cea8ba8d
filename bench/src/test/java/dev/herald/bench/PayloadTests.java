package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadTests {

    @Test
    void readsTheSequenceAndSendTimeBackFromANotificationFrame() {
        String sent = Payload.notification("bench-1-7", 42, 123_456_789L);
        String data = sent.substring(sent.indexOf("\"data\":") + 7, sent.length() - 1);
        String frame = "{\"type\":\"notification\",\"cursor\":\"3-17\",\"event\":{\"eventId\":\"e\",\"userId\":\"bench-1-7\","
                + "\"type\":\"bench.load\",\"title\":\"Bench 42\",\"body\":null,\"data\":" + data + ",\"source\":\"dev\"}}";

        assertThat(Payload.sequence(frame)).isEqualTo(42);
        assertThat(Payload.sentNanos(frame)).isEqualTo(123_456_789L);
    }

    @Test
    void framesWithoutTheBenchFieldsAreNotCounted() {
        assertThat(Payload.sequence("{\"type\":\"read\",\"cursor\":\"1-2\"}")).isEqualTo(-1);
        assertThat(Payload.sentNanos("{\"type\":\"notification\",\"event\":{\"data\":{\"hbT\":\"x\"}}}")).isEqualTo(-1);
    }
}
