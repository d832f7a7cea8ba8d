package dev.herald.schema;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#parse} and {@link Instant#toString} for the one form Herald writes, UTC with
 * seconds and 0, 3, 6 or 9 fraction digits ({@code 2026-12-04T18:28:03.123Z}), without
 * {@code DateTimeFormatter}: every event carries two or three instants, and the formatter's parse
 * and print took about a tenth of a gateway's consumer thread (JFR, 1,000 events/s). Any other input
 * (offsets, lower case, leap seconds, years beyond 0-9999) goes to {@code Instant}'s own, so the
 * results, and the exceptions, are always theirs.
 */
public final class Instants {

    private static final int SECONDS_PER_DAY = 86_400;
    /** The first second of year 0 and of year 10,000 (UTC): the years of four digits. */
    private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final int[] POWERS = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000 };

    private Instants() {
    }

    /** As {@link Instant#parse}. */
    public static Instant parse(CharSequence text) {
        Instant fast = text.length() >= 20 && text.length() <= 30 ? fastParse(text) : null;
        return fast != null ? fast : Instant.parse(text);
    }

    /** As {@link Instant#toString}. */
    public static String format(Instant instant) {
        if (instant.getEpochSecond() < YEAR_0 || instant.getEpochSecond() >= YEAR_10000) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(instant.getEpochSecond(), SECONDS_PER_DAY);
        int nano = instant.getNano();
        int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] out = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (fraction > 0) {
            out[19] = '.';
            digits(out, 20, nano / POWERS[9 - fraction], fraction);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** The instant, or null when {@code text} is not exactly of the common form (or not a valid one). */
    private static Instant fastParse(CharSequence text) {
        int last = text.length() - 1;
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
                || text.charAt(16) != ':' || text.charAt(last) != 'Z') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nano = 0;
        if (last > 19) {
            int digits = last - 20;
            if (text.charAt(19) != '.' || digits < 1) {
                return null;
            }
            int fraction = number(text, 20, digits);
            if (fraction < 0) {
                return null;
            }
            nano = fraction * POWERS[9 - digits];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        }
        catch (DateTimeException ex) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second, nano);
    }

    /** The decimal number of {@code length} ASCII digits at {@code from}, or -1 if any is not one. */
    private static int number(CharSequence text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] out, int at, int value, int length) {
        for (int i = at + length - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
