package dev.herald.store.receipts;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The receipt tracker: per notification, whether it was delivered (a gateway's {@code delivered}
 * receipt) within {@code undeliveredAfter} and seen (a {@code seen} receipt, or a read) within
 * {@code unseenAfter}; if not, an alert to {@code herald.receipt-alerts} and/or the webhook. Off by
 * default. Checked at start-up only when enabled; a bad setting stops the store with a message that
 * names it.
 *
 * @param enabled whether the tracker runs (its own consumer group, {@code herald-store-receipts})
 * @param undeliveredAfter how long after acceptance a notification may go undelivered; 0 turns the
 *        {@code not_delivered} alert off
 * @param unseenAfter how long after acceptance a notification may go unseen; 0 turns the
 *        {@code unseen} alert off
 * @param catchUpWindow a notification the tracker reads later than this after its acceptance (e.g.
 *        the topic's history, read when the tracker is first enabled) is not watched
 * @param pollInterval how often due watches and webhook retries are looked for
 * @param batchSize the due watches (and webhook deliveries) handled per round
 * @param alertsTopic whether alerts are published to {@code herald.receipt-alerts}
 * @param webhook where alerts are POSTed, if anywhere
 */
@ConfigurationProperties("herald.store.receipts")
public record ReceiptsProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("30s") Duration undeliveredAfter,
        @DefaultValue("10m") Duration unseenAfter,
        @DefaultValue("1h") Duration catchUpWindow,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("true") boolean alertsTopic,
        @DefaultValue Webhook webhook) {

    private static final String PREFIX = "herald.store.receipts.";

    /**
     * @param url the backend's endpoint (http or https); empty for none
     * @param secret the key of the {@code Herald-Signature} HMAC, at least 16 characters; required with a url
     * @param timeout how long one POST may take
     * @param maxAttempts the POSTs of one alert before it is dead-lettered
     * @param initialBackoff the wait after the first failed attempt; each further failure doubles it
     * @param maxBackoff the longest wait between two attempts
     */
    public record Webhook(
            @DefaultValue("") String url,
            @DefaultValue("") String secret,
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("10") int maxAttempts,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("5m") Duration maxBackoff) {

        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }

    public ReceiptsProperties {
        if (enabled) {
            check(undeliveredAfter != null && !undeliveredAfter.isNegative() && unseenAfter != null && !unseenAfter.isNegative(),
                    "undelivered-after and unseen-after must be 0 (off) or positive durations such as 30s or 10m");
            check(!undeliveredAfter.isZero() || !unseenAfter.isZero(),
                    "undelivered-after and unseen-after are both 0: there is nothing to track (set one, or enabled=false)");
            check(positive(catchUpWindow) && positive(pollInterval), "catch-up-window and poll-interval must be positive");
            check(batchSize >= 1 && batchSize <= 10_000, "batch-size must be between 1 and 10000");
            check(alertsTopic || webhook.configured(),
                    "alerts go nowhere: set webhook.url (and webhook.secret), or alerts-topic=true");
            if (webhook.configured()) {
                checkUrl(webhook.url());
                check(webhook.secret() != null && webhook.secret().length() >= 16,
                        "webhook.secret is required with webhook.url, at least 16 characters (it keys the Herald-Signature HMAC)");
                check(positive(webhook.timeout()) && positive(webhook.initialBackoff()) && positive(webhook.maxBackoff())
                        && webhook.maxBackoff().compareTo(webhook.initialBackoff()) >= 0,
                        "webhook.timeout, initial-backoff and max-backoff must be positive, max-backoff at least initial-backoff");
                check(webhook.maxAttempts() >= 1 && webhook.maxAttempts() <= 100, "webhook.max-attempts must be between 1 and 100");
            }
        }
    }

    /** The longer of the two windows: how long a receipt is worth keeping for its watch. */
    Duration longestWindow() {
        return undeliveredAfter.compareTo(unseenAfter) >= 0 ? undeliveredAfter : unseenAfter;
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            check(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
                    "webhook.url must be an absolute http:// or https:// URL, was '" + url + "'");
        }
        catch (URISyntaxException ex) {
            throw new IllegalArgumentException(PREFIX + "webhook.url is not a URL ('" + url + "'): " + ex.getReason());
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(PREFIX + message);
        }
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
