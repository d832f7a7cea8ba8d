package dev.herald.gateway.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The frame a server writes (RFC 6455 5.2): FIN + text opcode, no mask, 7-, 16- or 64-bit length. */
class OutboundFrameTests {

    @Test
    void aShortFrameHasATwoByteHeader() {
        OutboundFrame frame = OutboundFrame.control("pong", "{\"type\":\"pong\"}");

        assertThat(frame.wire()).startsWith(0x81, 15);
        assertThat(frame.wire()).hasSize(2 + 15);
        assertThat(frame.text()).isEqualTo("{\"type\":\"pong\"}");
    }

    @Test
    void aFrameOf126BytesOrMoreCarriesASixteenBitLength() {
        String json = "\"" + "é".repeat(100) + "\""; // 202 bytes of UTF-8

        OutboundFrame frame = OutboundFrame.live("notification", json, 42);

        assertThat(frame.wire()).startsWith(0x81, 126, 0, 202);
        assertThat(frame.wire()).hasSize(4 + 202);
        assertThat(frame.text()).isEqualTo(json);
        assertThat(frame.timestampMillis()).isEqualTo(42);
    }

    @Test
    void aFrameOverSixtyFourKilobytesCarriesASixtyFourBitLength() {
        String json = "x".repeat(70_000);

        byte[] wire = OutboundFrame.control("big", json).wire();

        assertThat(wire).startsWith(0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70);
        assertThat(new String(wire, 10, wire.length - 10, StandardCharsets.UTF_8)).isEqualTo(json);
    }
}
