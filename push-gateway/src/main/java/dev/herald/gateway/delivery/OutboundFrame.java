package dev.herald.gateway.delivery;

/**
 * A serialized server frame on its way to one session. The text is shared by every session that
 * gets the same event.
 *
 * @param type the frame's type, for metrics (notification, read, welcome, ...)
 * @param text the JSON text
 * @param timestampMillis for live event frames, when the event was produced (the start of
 *        end-to-end latency); 0 for frames whose latency means nothing (replays, welcome, ...)
 */
public record OutboundFrame(String type, String text, long timestampMillis) {

    public static OutboundFrame control(String type, String text) {
        return new OutboundFrame(type, text, 0);
    }
}
