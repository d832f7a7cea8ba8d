package dev.herald.store.receipts;

import java.time.Duration;

/**
 * The wait before a webhook delivery's next attempt: {@code initial} after the first failure,
 * doubled after each further one, never more than {@code max} (1 s, 2 s, 4 s, ... 5 min by default).
 */
record Backoff(Duration initial, Duration max) {

    /** The wait after {@code failures} failed attempts (1 or more). */
    Duration after(int failures) {
        if (failures <= 1) {
            return initial;
        }
        long millis = initial.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
