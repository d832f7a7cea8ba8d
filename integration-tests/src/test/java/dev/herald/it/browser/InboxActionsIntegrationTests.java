package dev.herald.it.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.BrowserPageTests;
import dev.herald.it.support.Chromium;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.PageServer;

/**
 * {@code <herald-inbox>}'s action buttons and expiry in a real (headless) Chromium against the real
 * stack: a URL action is a link that opens in a new tab with {@code rel=noopener}, a named action
 * fires {@code herald-action} without marking the item read, and a live item whose {@code expiresAt}
 * passes leaves the feed and the badge while the page stays open. Needs Debian's {@code chromium}
 * and {@code chromium-driver} (skipped without them).
 */
class InboxActionsIntegrationTests extends BrowserPageTests {


    @Test
    void theElementShowsTheButtonsFiresNamedActionsAndDropsWhatExpired() throws IOException {
        HeraldStack stack = HeraldStack.get();
        String user = HeraldStack.newUser("inbox-actions");
        String withActions = post(stack, user, Map.of("title", "Order shipped", "actions", List.of(
                Map.of("id", "track", "label", "Track parcel", "url", "https://carrier.example/track?id=42"),
                Map.of("id", "archive", "label", "Archive", "action", "archive"))));
        stack.awaitInbox(user, 1);
        site = startSite(user, stack.storeUrl(), Gateways.shared().get(0).baseUrl());
        chromium = Chromium.start();
        driver = chromium.driver();
        try {
            driver.get(PageServer.origin(site) + "/");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> host().getDomAttribute("data-state"), "open"::equals);
            inbox().findElement(By.cssSelector(".bell")).click();
            // Sent while the page is open, so it arrives live and expires while the page watches.
            Instant expiresAt = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
            String expiring = post(stack, user, Map.of("title", "Flash sale", "expiresAt", expiresAt.toString()));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> feedIds().size() == 2);
            assertThat(feedIds()).containsExactly(expiring, withActions);
            awaitBadge(2);

            WebElement item = inbox().findElement(By.cssSelector("li.item[data-event-id='" + withActions + "']"));
            List<WebElement> buttons = item.findElements(By.cssSelector(".actions .action"));
            assertThat(buttons).extracting(WebElement::getText).containsExactly("Track parcel", "Archive");
            WebElement link = buttons.get(0);
            assertThat(link.getTagName()).isEqualTo("a");
            assertThat(link.getDomAttribute("href")).isEqualTo("https://carrier.example/track?id=42");
            assertThat(link.getDomAttribute("target")).isEqualTo("_blank");
            assertThat(link.getDomAttribute("rel")).contains("noopener");
            assertThat(buttons.get(1).getTagName()).isEqualTo("button");
            assertThat(inbox().findElements(By.cssSelector("li.item[data-event-id='" + expiring + "'] .action"))).isEmpty();
            chromium.saveArtifacts("inbox-actions");

            buttons.get(1).click();
            await().atMost(Duration.ofSeconds(5)).until(() -> ((List<?>) script("return window.seen.actions")).size() == 1);
            assertThat(script("return window.seen.actions[0]")).isEqualTo(Map.of("eventId", withActions, "actionId", "archive",
                    "action", "archive"));
            assertThat(script("return window.seen.selected")).as("an action is not a click on the item").isEqualTo(List.of());
            assertThat(stack.unread(user)).isEqualTo(2);

            // The page stays open: when the expiry passes, the item leaves the feed and the badge.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> feedIds().size() == 1);
            assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
            assertThat(feedIds()).containsExactly(withActions);
            awaitBadge(1);
            assertThat(stack.unread(user)).isEqualTo(1);
        }
        finally {
            if (chromium != null) {
                chromium.saveArtifacts("inbox-actions-end");
            }
        }
    }

    private static String post(HeraldStack stack, String user, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("userId", user);
        body.put("type", "order.shipped");
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().get("notifications").get(0).get("eventId").asString();
    }

    private static HttpServer startSite(String user, String storeUrl, String gatewayUrl) throws IOException {
        String page = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Inbox actions</title><link rel="icon" href="data:,">
                <script>
                  window.seen = { actions: [], selected: [] };
                  document.addEventListener('herald-action', e => window.seen.actions.push(
                      { eventId: e.detail.item.eventId, actionId: e.detail.actionId, action: e.detail.action.action }));
                  document.addEventListener('herald-select', e => window.seen.selected.push(e.detail.item.eventId));
                </script>
                <script type="module" src="%s/sdk/herald-inbox.js"></script>
                </head>
                <body style="margin: 0">
                <header style="display: flex; justify-content: flex-end; padding: .75rem 1.5rem">
                <herald-inbox store-url="%s" gateway-url="%s" token-url="/herald/token" toasts="off"></herald-inbox>
                </header>
                </body>
                </html>
                """.formatted(storeUrl, storeUrl, gatewayUrl);
        return serve(page, user);
    }

    private static WebElement host() {
        return driver.findElement(By.cssSelector("herald-inbox"));
    }

    private static SearchContext inbox() {
        return host().getShadowRoot();
    }

    /** Read in one script: the feed is rebuilt when an item expires, so elements found earlier may be gone. */
    @SuppressWarnings("unchecked")
    private static List<String> feedIds() {
        return (List<String>) script("return [...document.querySelector('herald-inbox').shadowRoot.querySelectorAll('li.item')]"
                + ".map(li => li.dataset.eventId)");
    }

    private static Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void awaitBadge(int unread) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> inbox().findElement(By.cssSelector(".badge")).getDomAttribute("data-count"), String.valueOf(unread)::equals);
    }
}
