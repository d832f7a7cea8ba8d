package dev.herald.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The bench's part of a notification or channel message: its {@code data} object carries the
 * generator's {@code System.nanoTime()} of the intended send ({@code hbT}) and the user's (or the
 * channel's) sequence number ({@code hbS}); a channel message's frame carries the same object as its
 * event's {@code data}. The receiving side finds them by a plain scan of the frame's bytes, without
 * decoding the text or parsing the JSON, which keeps the generator's CPU for the servers on a
 * 2-core machine. The keys are ASCII and cannot occur inside a multi-byte UTF-8 sequence, so a
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

    /** Whether the readable bytes of {@code frame} start with {@code prefix}. */
    static boolean startsWith(ByteBuf frame, byte[] prefix) {
        if (frame.readableBytes() < prefix.length) {
            return false;
        }
        int start = frame.readerIndex();
        for (int i = 0; i < prefix.length; i++) {
            if (frame.getByte(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static long sentNanos(ByteBuf frame) {
        return number(frame, SENT);
    }

    static int sequence(ByteBuf frame) {
        long value = number(frame, SEQ);
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /** The non-negative integer after {@code key}, or -1; reads without moving the buffer's indexes. */
    private static long number(ByteBuf text, byte[] key) {
        int at = indexOf(text, key);
        if (at < 0) {
            return -1;
        }
        int end = text.writerIndex();
        int i = at + key.length;
        boolean negative = i < end && text.getByte(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < end && digits < 19; i++, digits++) {
            byte c = text.getByte(i);
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

    /** Where {@code key} starts in the readable bytes of {@code text}, or -1. */
    static int indexOf(ByteBuf text, byte[] key) {
        int last = text.writerIndex() - key.length;
        byte first = key[0];
        for (int i = text.readerIndex(); i <= last; i++) {
            if (text.getByte(i) != first) {
                continue;
            }
            int j = 1;
            while (j < key.length && text.getByte(i + j) == key[j]) {
                j++;
            }
            if (j == key.length) {
                return i;
            }
        }
        return -1;
    }
}
