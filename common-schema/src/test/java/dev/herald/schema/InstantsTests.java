package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Instants} must answer exactly as {@link Instant#parse} and {@link Instant#toString} do. */
class InstantsTests {

    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

    @Test
    void formatsAndParsesAsInstantDoes() {
        Random random = new Random(17);
        for (int i = 0; i < 200_000; i++) {
            Instant instant = randomInstant(random);
            String text = instant.toString();
            assertThat(Instants.format(instant)).as("format of %s", text).isEqualTo(text);
            assertThat(Instants.parse(text)).as("parse of %s", text).isEqualTo(instant);
        }
    }

    @Test
    void parsesEveryFractionLengthAsInstantDoes() {
        String digits = "123456789";
        for (int n = 1; n <= 9; n++) {
            String text = "2026-12-04T18:28:03." + digits.substring(0, n) + "Z";
            assertThat(Instants.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    /** Other forms Instant accepts, and inputs it refuses: the same instant, or the same exception. */
    @ParameterizedTest
    @ValueSource(strings = { "2026-12-04t18:28:03z", "2026-12-04T18:28:03+01:00", "2026-12-04T23:59:60Z",
            "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-12-04T24:00:00Z", "2026-12-04T18:60:00Z", "2026-12-04T18:28Z",
            "2026-12-04T18:28:03.Z", "2026-12-04T18:28:03.1234567890Z", "2026-12-04T18:28:03", "2026-12-04 18:28:03Z",
            "+12026-12-04T18:28:03Z", "-0001-12-04T18:28:03Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "2026-1a-04T18:28:03Z", "2026-12-04T18:28:0xZ", "2026-12-04T18:28:03.12a4Z", "", "now" })
    void answersOtherInputsAsInstantDoes(String text) {
        Object expected = outcome(() -> Instant.parse(text));
        Object actual = outcome(() -> Instants.parse(text));
        if (expected instanceof Throwable expectedError) {
            assertThat(actual).as(text).isInstanceOf(expectedError.getClass());
        }
        else {
            assertThat(actual).as(text).isEqualTo(expected);
        }
    }

    @Test
    void formatsYearsBeyondFourDigitsAsInstantDoes() {
        for (Instant instant : List.of(Instant.MIN, Instant.MAX, Instant.ofEpochSecond(YEAR_0 - 1),
                Instant.ofEpochSecond(YEAR_10000), Instant.ofEpochSecond(YEAR_0), Instant.EPOCH)) {
            assertThat(Instants.format(instant)).isEqualTo(instant.toString());
        }
    }

    private static Instant randomInstant(Random random) {
        long second = YEAR_0 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0));
        if (random.nextInt(10) == 0) {
            second -= second % 60; // whole minutes: toString still prints the seconds
        }
        int nano = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        return Instant.ofEpochSecond(second, nano);
    }

    private static Object outcome(java.util.function.Supplier<Instant> parse) {
        try {
            return parse.get();
        }
        catch (RuntimeException ex) {
            return ex;
        }
    }
}
