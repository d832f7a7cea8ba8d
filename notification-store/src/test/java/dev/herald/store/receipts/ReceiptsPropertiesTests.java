package dev.herald.store.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ReceiptsPropertiesTests {

    private static final String SECRET = "0123456789abcdef";

    @Test
    void offByDefaultAndThenNothingIsChecked() {
        ReceiptsProperties off = properties(false, Duration.ZERO, Duration.ZERO, false, webhook("nonsense", ""));

        assertThat(off.enabled()).isFalse();
    }

    @Test
    void aWebhookUrlMustBeAbsoluteHttp() {
        assertThatThrownBy(() -> properties(true, Duration.ofSeconds(30), Duration.ZERO, true, webhook("ftp://x/y", SECRET)))
                .hasMessageContaining("herald.store.receipts.webhook.url must be an absolute http:// or https:// URL");
        assertThatThrownBy(() -> properties(true, Duration.ofSeconds(30), Duration.ZERO, true, webhook("/hooks", SECRET)))
                .hasMessageContaining("webhook.url");
        assertThatThrownBy(() -> properties(true, Duration.ofSeconds(30), Duration.ZERO, true, webhook("http://a b", SECRET)))
                .hasMessageContaining("webhook.url is not a URL");
    }

    @Test
    void aWebhookUrlNeedsASecretOfSixteenCharacters() {
        assertThatThrownBy(() -> properties(true, Duration.ofSeconds(30), Duration.ZERO, true, webhook("https://shop.example/h", "")))
                .hasMessageContaining("herald.store.receipts.webhook.secret is required with webhook.url");
        assertThatThrownBy(() -> properties(true, Duration.ofSeconds(30), Duration.ZERO, true,
                webhook("https://shop.example/h", "short"))).hasMessageContaining("at least 16 characters");
        assertThat(properties(true, Duration.ofSeconds(30), Duration.ZERO, false, webhook("https://shop.example/h", SECRET))
                .webhook().configured()).isTrue();
    }

    @Test
    void somethingMustBeTrackedAndSentSomewhere() {
        assertThatThrownBy(() -> properties(true, Duration.ZERO, Duration.ZERO, true, webhook("", "")))
                .hasMessageContaining("both 0");
        assertThatThrownBy(() -> properties(true, Duration.ofSeconds(1), Duration.ZERO, false, webhook("", "")))
                .hasMessageContaining("alerts go nowhere");
    }

    private static ReceiptsProperties properties(boolean enabled, Duration undelivered, Duration unseen, boolean topic,
            ReceiptsProperties.Webhook webhook) {
        return new ReceiptsProperties(enabled, undelivered, unseen, Duration.ofHours(1), Duration.ofSeconds(1), 100, topic, webhook);
    }

    private static ReceiptsProperties.Webhook webhook(String url, String secret) {
        return new ReceiptsProperties.Webhook(url, secret, Duration.ofSeconds(5), 10, Duration.ofSeconds(1), Duration.ofMinutes(5));
    }
}
