package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The char-by-char checks of {@link NotificationFields} and {@link Cursor} against the regular
 * expressions they replaced, on random strings over the characters that matter.
 */
class NotificationFieldFormsTests {

    private static final Pattern WORDS = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final Pattern EPOCH = Pattern.compile("[A-Za-z0-9_-]{1,22}");
    private static final String ALPHABET = "az09AZ._:-_ @\u0000\u001f\u007f\u0080\u00e9\u0430";

    @Test
    void agreeWithTheRegularExpressions() {
        Random random = new Random(11);
        for (int i = 0; i < 300_000; i++) {
            String value = randomString(random, random.nextInt(26));
            assertThat(NotificationFields.isWords(value)).as("words: '%s'", value).isEqualTo(WORDS.matcher(value).matches());
            assertThat(NotificationFields.isEventIdForm(value)).as("eventId: '%s'", value)
                    .isEqualTo(EVENT_ID.matcher(value).matches());
            assertThat(NotificationFields.hasControl(value)).as("control: '%s'", value).isEqualTo(CONTROL.matcher(value).find());
            assertThat(isCursorEpoch(value)).as("epoch: '%s'", value).isEqualTo(EPOCH.matcher(value).matches());
        }
    }

    @Test
    void countsDataAsItsJsonText() {
        for (String json : new String[] { "{}", "{\"a\":1}", "{\"n\":1e2,\"big\":12345678901234567890,\"f\":-0.5}",
                "{\"text\":\"caf\u00e9 \u0430 \ud83d\ude00 \\\"quoted\\\" \\\\ \\u0001\",\"nested\":{\"list\":[true,false,null]}}" }) {
            JsonNode node = EnvelopeCodec.mapper().readTree(json);
            assertThat(NotificationFields.jsonBytes(node)).as(json)
                    .isEqualTo(node.toString().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private static boolean isCursorEpoch(String epoch) {
        try {
            new Cursor(0, 0, epoch);
            return true;
        }
        catch (Cursor.MalformedCursorException ex) {
            return false;
        }
    }

    private static String randomString(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
