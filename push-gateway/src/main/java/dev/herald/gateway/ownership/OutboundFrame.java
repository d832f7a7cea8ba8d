package dev.herald.gateway.ownership;

import java.nio.charset.StandardCharsets;

/**
 * A server frame on its way to sessions, encoded once: {@link #wire()} holds the whole WebSocket
 * text frame as a server sends it (header and UTF-8 payload; server frames are not masked), so
 * every session that gets the same event writes the same bytes and nothing is encoded per session.
 */
public final class OutboundFrame {

    private final String type;
    private final byte[] wire;
    private final int headerLength;
    private final long timestampMillis;

    private OutboundFrame(String type, String json, long timestampMillis) {
        this.type = type;
        this.timestampMillis = timestampMillis;
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        this.headerLength = payload.length < 126 ? 2 : payload.length <= 0xFFFF ? 4 : 10;
        this.wire = new byte[headerLength + payload.length];
        wire[0] = (byte) 0x81; // FIN + text
        if (headerLength == 2) {
            wire[1] = (byte) payload.length;
        }
        else if (headerLength == 4) {
            wire[1] = 126;
            wire[2] = (byte) (payload.length >>> 8);
            wire[3] = (byte) payload.length;
        }
        else {
            wire[1] = 127;
            long length = payload.length;
            for (int i = 0; i < 8; i++) {
                wire[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, wire, headerLength, payload.length);
    }

    /**
     * A live event's frame.
     *
     * @param type the frame's type, for metrics (notification, read)
     * @param json the frame's JSON text
     * @param timestampMillis when the event was produced (the start of end-to-end latency)
     */
    public static OutboundFrame live(String type, String json, long timestampMillis) {
        return new OutboundFrame(type, json, timestampMillis);
    }

    /** A frame whose latency means nothing (replays, welcome, pings, errors, ...). */
    public static OutboundFrame control(String type, String json) {
        return new OutboundFrame(type, json, 0);
    }

    public String type() {
        return type;
    }

    /** For live event frames, when the event was produced; 0 for the others. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** The whole WebSocket frame, ready to write. Shared: never modify it. */
    public byte[] wire() {
        return wire;
    }

    /** The frame's JSON text (decoded again; for tests and logs). */
    public String text() {
        return new String(wire, headerLength, wire.length - headerLength, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return type + " frame (" + wire.length + " bytes)";
    }
}
