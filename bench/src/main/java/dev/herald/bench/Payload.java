package dev.herald.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The bench's part of a notification or channel message: its {@code data} object carries the
 * generator's {@code System.nanoTime()} of the intended send ({@code hbT}) and the user's (or the
 * channel's) sequence number ({@code hbS}); a channel message's frame carries the same object as its
 * event's {@code data}. The receiving side finds them by a plain scan of the frame's bytes
 * ({@link Frame}), without decoding the text or parsing the JSON, which keeps the generator's CPU
 * for the servers on a 2-core machine. The keys are ASCII and cannot occur inside a multi-byte UTF-8 sequence, so a
 * byte scan finds exactly what a character scan would.
 */
final class Payload {

    private static final byte[] SENT = ascii("\"hbT\":");
    private static final byte[] SEQ = ascii("\"hbS\":");

    /** Times are taken from this origin, so that they are small and positive whatever nanoTime's origin. */
    private static final long ORIGIN = System.nanoTime();

    private Payload() {
    }

    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    static String notification(String userId, int seq, long sentNanos) {
        return "{\"userId\":\"" + userId + "\",\"type\":\"bench.load\",\"title\":\"Bench " + seq
                + "\",\"data\":{\"hbS\":" + seq + ",\"hbT\":" + sentNanos + "}}";
    }

    /** The body of {@code POST /v1/channels/{channel}/messages}. */
    static String channelMessage(int seq, long sentNanos) {
        return "{\"type\":\"bench.fan\",\"title\":\"Bench " + seq + "\",\"body\":\"\",\"data\":{\"hbS\":" + seq
                + ",\"hbT\":" + sentNanos + "}}";
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One received frame's bytes, copied once into an array that the thread keeps for its next
     * frames, so that the prefix checks and the scans are plain array loops. Read in place, a
     * frame's content (as profiled, a wrapper around a read-only view) costs a few calls and bounds checks
     * per byte: at 40,000 frames/s those scans were a quarter of the generator's CPU.
     *
     * <p>Valid until the same thread takes its next frame: use it within one callback.
     */
    static final class Frame {

        private static final FastThreadLocal<Frame> OF_THREAD = new FastThreadLocal<>() {
            @Override
            protected Frame initialValue() {
                return new Frame();
            }
        };

        private byte[] bytes = new byte[1024];
        private int length;

        private Frame() {
        }

        /** This thread's frame, now holding the readable bytes of {@code text} (whose indexes do not move). */
        static Frame of(ByteBuf text) {
            Frame frame = OF_THREAD.get();
            frame.length = text.readableBytes();
            if (frame.length > frame.bytes.length) {
                frame.bytes = new byte[Math.max(frame.length, 2 * frame.bytes.length)];
            }
            text.getBytes(text.readerIndex(), frame.bytes, 0, frame.length);
            return frame;
        }

        boolean startsWith(byte[] prefix) {
            return length >= prefix.length && matchesAt(0, prefix);
        }

        boolean contains(byte[] key) {
            return lastIndexOf(key) >= 0;
        }

        /** {@code hbT}, or -1 when the frame has none. */
        long sentNanos() {
            return number(SENT);
        }

        /** {@code hbS}, or -1 when the frame has none. */
        int sequence() {
            long value = number(SEQ);
            return value > Integer.MAX_VALUE ? -1 : (int) value;
        }

        /** The integer after {@code key}, or -1 when there is no key or no digits after it. */
        private long number(byte[] key) {
            int at = lastIndexOf(key);
            if (at < 0) {
                return -1;
            }
            int i = at + key.length;
            boolean negative = i < length && bytes[i] == '-';
            if (negative) {
                i++;
            }
            long value = 0;
            int digits = 0;
            for (; i < length && digits < 19; i++, digits++) {
                byte c = bytes[i];
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
            }
            if (digits == 0) {
                return -1;
            }
            return negative ? -value : value;
        }

        /**
         * Where {@code key} last starts, or -1. From the end: the event's {@code data} comes after
         * its title and body, so the bench's keys are nearer the end. A key cannot match inside a
         * JSON string, where a quote is escaped ({@code \"hbT\":}).
         */
        private int lastIndexOf(byte[] key) {
            byte first = key[0];
            for (int i = length - key.length; i >= 0; i--) {
                if (bytes[i] == first && matchesAt(i, key)) {
                    return i;
                }
            }
            return -1;
        }

        private boolean matchesAt(int at, byte[] key) {
            for (int j = 0; j < key.length; j++) {
                if (bytes[at + j] != key[j]) {
                    return false;
                }
            }
            return true;
        }
    }
}
