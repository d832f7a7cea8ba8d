package dev.herald.it.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.BrowserPageTests;
import dev.herald.it.support.Chromium;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.PageServer;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;
import dev.herald.schema.Topics;

/**
 * {@code <herald-inbox>} in headless Chromium reports what its open panel shows, and only that:
 * the items in the feed's view become {@code seen} receipts on herald.receipts (through the SDK's
 * markShown and the gateway), the ones scrolled out of view only once scrolled to, and nothing
 * while the panel is closed. Skipped without Debian's chromium and chromium-driver.
 */
class InboxShownIntegrationTests extends BrowserPageTests {

    private static final int SEEDED = 15;


    @Test
    void theOpenPanelReportsTheItemsItShowsAsSeen() throws IOException {
        HeraldStack stack = HeraldStack.get();
        String gatewayUrl = Gateways.shared().get(0).baseUrl();
        String user = HeraldStack.newUser("shown");
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < SEEDED; i++) {
            seeded.add(stack.send(user, "Seeded " + i));
        }
        stack.awaitInbox(user, SEEDED);
        site = startSite(user, stack.storeUrl(), gatewayUrl);
        chromium = Chromium.start();
        driver = chromium.driver();
        driver.get(PageServer.origin(site) + "/");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> driver.findElement(By.cssSelector("herald-inbox")).getDomAttribute("data-state"), "open"::equals);
        String newest = seeded.get(SEEDED - 1);
        String oldest = seeded.get(0);
        // A marker sent after the page is live: once its delivered receipt is on the topic, so would any seen receipt be.
        String marker = stack.send(user, "Marker");
        assertThat(seenIds(user, marker)).as("the panel is closed: nothing shown").isEmpty();

        inbox().findElement(By.cssSelector(".bell")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> seenIds(user, null).contains(newest));
        Set<String> inView = seenIds(user, null);
        assertThat(inView).as("not the whole feed: only what the panel's view shows").doesNotContain(oldest)
                .hasSizeLessThan(SEEDED + 1);

        ((JavascriptExecutor) driver).executeScript(
                "const feed = document.querySelector('herald-inbox').shadowRoot.querySelector('.feed'); feed.scrollTop = feed.scrollHeight;");
        await().atMost(Duration.ofSeconds(15)).until(() -> seenIds(user, null).contains(oldest));
        chromium.saveArtifacts("inbox-shown");
    }

    /**
     * The eventIds of the user's seen receipts; with {@code marker}, read until its delivered
     * receipt is there (so that the answer is complete up to it).
     */
    private static Set<String> seenIds(String user, String marker) {
        List<ConsumerRecord<String, byte[]>> records = Kafka.awaitRecords(TestKafka.bootstrapServers(), Topics.RECEIPTS,
                record -> record.key().equals(user), marker == null ? 0 : 1);
        List<Receipt> receipts = records.stream().map(record -> ReceiptCodec.decode(record.value())).toList();
        if (marker != null) {
            assertThat(receipts).extracting(Receipt::eventId).contains(marker);
        }
        return receipts.stream().filter(r -> r.kind() == Receipt.Kind.SEEN).map(Receipt::eventId).collect(Collectors.toSet());
    }

    private static SearchContext inbox() {
        return driver.findElement(By.cssSelector("herald-inbox")).getShadowRoot();
    }

    private static HttpServer startSite(String user, String storeUrl, String gatewayUrl) throws IOException {
        String page = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Shown</title><link rel="icon" href="data:,">
                <script type="module" src="%s/sdk/herald-inbox.js"></script>
                </head>
                <body>
                <herald-inbox store-url="%s" gateway-url="%s" token-url="/herald/token" page-size="%d" toasts="off"></herald-inbox>
                </body>
                </html>
                """.formatted(storeUrl, storeUrl, gatewayUrl, SEEDED + 5);
        return serve(page, user);
    }
}
