package dev.herald.bench;

/**
 * The bench's part of a notification: its {@code data} object carries the generator's
 * {@code System.nanoTime()} of the intended send ({@code hbT}) and the user's sequence number
 * ({@code hbS}). The receiving side finds them by a plain scan of the frame text instead of a full
 * JSON parse, which keeps the generator's CPU for the servers on a 2-core machine.
 */
final class Payload {

    private static final String SENT = "\"hbT\":";
    private static final String SEQ = "\"hbS\":";

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

    static long sentNanos(String frame) {
        return number(frame, SENT);
    }

    static int sequence(String frame) {
        long value = number(frame, SEQ);
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /** The non-negative integer after {@code key}, or -1. */
    private static long number(String text, String key) {
        int at = text.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length();
        boolean negative = i < text.length() && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < text.length() && digits < 19; i++, digits++) {
            char c = text.charAt(i);
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
}
