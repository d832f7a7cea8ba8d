package dev.herald.it.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.BrowserPageTests;
import dev.herald.it.support.Chromium;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.PageServer;

/**
 * {@code <herald-inbox>} in a real (headless) Chromium against the real stack (producer-api, the
 * store and two gateways on Kafka and MariaDB). The page is what a server-rendered site (e.g. a
 * CodeIgniter view) would write: one module script tag and the element with its attributes, its
 * token from the site's own {@code token-url}, the element's module from the store's production
 * {@code /sdk/} (no build step on the site). A tiny server here serves the page and that token URL. Needs Debian's {@code chromium} and
 * {@code chromium-driver} (skipped without them).
 */
class InboxComponentIntegrationTests extends BrowserPageTests {

    private static final int PAGE_SIZE = 5;
    private static final int SEEDED = 12;

    private static final AtomicInteger tokensServed = new AtomicInteger();

    @Test
    void theElementShowsPagesLiveToastsAndReadsOfTheRealInbox() throws IOException {
        HeraldStack stack = HeraldStack.get();
        String gatewayUrl = Gateways.shared().get(0).baseUrl();
        String user = HeraldStack.newUser("inbox");
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < SEEDED; i++) {
            seeded.add(stack.send(user, "Seeded " + i));
        }
        stack.awaitInbox(user, SEEDED);
        site = startSite(user, stack.storeUrl(), gatewayUrl);
        chromium = Chromium.start();
        driver = chromium.driver();
        try {
            driver.get(PageServer.origin(site) + "/");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> host().getDomAttribute("data-state"), "open"::equals);
            assertThat(tokensServed.get()).as("the token came from token-url").isPositive();
            assertThat(script("return window.seen.init")).isEqualTo(1L);

            // The badge says what the store says.
            assertThat(stack.unread(user)).isEqualTo(SEEDED);
            awaitBadge(SEEDED);
            assertThat(inbox().findElement(By.cssSelector(".panel")).isDisplayed()).isFalse();

            // Open the feed: the newest page, newest first; "Load older" until every item shows, once, in order.
            inbox().findElement(By.cssSelector(".bell")).click();
            assertThat(inbox().findElement(By.cssSelector(".bell")).getDomAttribute("aria-expanded")).isEqualTo("true");
            assertThat(script("return window.seen.toggles.at(-1)")).isEqualTo(true);
            assertThat(feedIds()).containsExactlyElementsOf(newestFirst(seeded).subList(0, PAGE_SIZE));
            int clicks = 0;
            while (inbox().findElement(By.cssSelector(".footer")).isDisplayed()) {
                int before = feedIds().size();
                inbox().findElement(By.cssSelector(".load-older")).click();
                await().atMost(Duration.ofSeconds(10)).until(() -> feedIds().size() > before
                        || !inbox().findElement(By.cssSelector(".footer")).isDisplayed());
                assertThat(++clicks).as("pages of " + PAGE_SIZE).isLessThanOrEqualTo(SEEDED / PAGE_SIZE + 1);
            }
            List<String> storeOrder = stack.inbox(user, "?limit=200").get("items").valueStream()
                    .map(item -> item.get("eventId").asString()).toList();
            assertThat(feedIds()).containsExactlyElementsOf(storeOrder).containsExactlyElementsOf(newestFirst(seeded));
            assertThat(clicks).isEqualTo((SEEDED - 1) / PAGE_SIZE);
            assertThat(inbox().findElements(By.cssSelector("li.item.unread"))).hasSize(SEEDED);

            // A live notification: a toast, the badge up by one, the feed's first item.
            String live = stack.send(user, "Live <b>not bold</b>");
            WebElement toast = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> inbox().findElements(By.cssSelector(".toast[data-event-id='" + live + "']")), found -> !found.isEmpty())
                    .get(0);
            assertThat(toast.findElement(By.cssSelector(".toast-title")).getText()).as("text, not HTML").isEqualTo("Live <b>not bold</b>");
            awaitBadge(SEEDED + 1);
            assertThat(feedIds().get(0)).isEqualTo(live);
            assertThat(script("return window.seen.notifications.includes(arguments[0])", live)).isEqualTo(true);

            // Clicking an item marks it read: the badge drops by one and the store agrees; herald-select says which.
            String chosen = seeded.get(SEEDED - 3);
            inbox().findElement(By.cssSelector("li.item[data-event-id='" + chosen + "'] .item-button")).click();
            awaitBadge(SEEDED);
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.unread(user) == SEEDED);
            assertThat(inbox().findElements(By.cssSelector("li.item.read[data-event-id='" + chosen + "']"))).hasSize(1);
            assertThat(script("return window.seen.selected")).isEqualTo(List.of(chosen));
            chromium.saveArtifacts("inbox-feed");

            // Keyboard: Escape closes and gives the focus back to the bell; Enter on the bell opens again.
            inbox().findElement(By.cssSelector("li.item .item-button")).sendKeys(Keys.ESCAPE);
            await().atMost(Duration.ofSeconds(5)).until(() -> !inbox().findElement(By.cssSelector(".panel")).isDisplayed());
            assertThat(inbox().findElement(By.cssSelector(".bell")).getDomAttribute("aria-expanded")).isEqualTo("false");
            assertThat(script("return document.querySelector('herald-inbox').shadowRoot.activeElement?.className")).isEqualTo("bell");
            inbox().findElement(By.cssSelector(".bell")).sendKeys(Keys.ENTER);
            await().atMost(Duration.ofSeconds(5)).until(() -> inbox().findElement(By.cssSelector(".panel")).isDisplayed());
            assertThat(script("return document.querySelector('herald-inbox').shadowRoot.activeElement?.className")).isEqualTo("item-button");

            // Mark all read: the badge hides and the store's count is 0.
            inbox().findElement(By.cssSelector(".mark-all")).click();
            awaitBadge(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> stack.unread(user) == 0);
            assertThat(inbox().findElements(By.cssSelector("li.item.unread"))).isEmpty();
            assertThat(inbox().findElement(By.cssSelector(".mark-all")).isEnabled()).isFalse();

            // Styled from outside through its custom properties.
            stack.send(user, "Styled");
            awaitBadge(1);
            assertThat(computed(".badge", "background-color")).isEqualTo("rgb(220, 38, 38)");
            script("document.querySelector('herald-inbox').style.setProperty('--herald-badge-bg', 'rgb(10, 20, 30)')");
            assertThat(computed(".badge", "background-color")).isEqualTo("rgb(10, 20, 30)");
            assertThat(computed(".mark-all", "color")).isEqualTo("rgb(79, 70, 229)");
            script("document.querySelector('herald-inbox').style.setProperty('--herald-accent', 'rgb(1, 120, 3)')");
            assertThat(computed(".mark-all", "color")).isEqualTo("rgb(1, 120, 3)");
            assertThat(script("return window.seen.unread.at(-1)")).isEqualTo(1L);
        }
        finally {
            if (chromium != null) {
                chromium.saveArtifacts("inbox-end");
            }
        }
    }

    /**
     * The site: its page (one module script, the element; an inline script only records the
     * element's events for this test; the module from the store) and the token URL.
     */
    private static HttpServer startSite(String user, String storeUrl, String gatewayUrl) throws IOException {
        String page = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Inbox component</title><link rel="icon" href="data:,">
                <style>body { font: 15px system-ui, sans-serif; margin: 0; } header { display: flex; justify-content: flex-end;
                align-items: center; gap: 1rem; padding: .75rem 1.5rem; border-bottom: 1px solid #e5e7eb; }</style>
                <script>
                  window.seen = { init: 0, toggles: [], selected: [], notifications: [], unread: [] };
                  document.addEventListener('herald-init', () => window.seen.init++);
                  document.addEventListener('herald-toggle', e => window.seen.toggles.push(e.detail.open));
                  document.addEventListener('herald-select', e => window.seen.selected.push(e.detail.item.eventId));
                  document.addEventListener('herald-notification', e => window.seen.notifications.push(e.detail.item.eventId));
                  document.addEventListener('herald-unread', e => window.seen.unread.push(e.detail.count));
                </script>
                <script type="module" src="%s/sdk/herald-inbox.js"></script>
                </head>
                <body>
                <header><strong>My app</strong>
                <herald-inbox store-url="%s" gateway-url="%s" token-url="/herald/token" page-size="%d" toast-ms="60000"></herald-inbox>
                </header>
                </body>
                </html>
                """.formatted(storeUrl, storeUrl, gatewayUrl, PAGE_SIZE);
        HttpServer server = PageServer.create();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/")) {
                PageServer.reply(exchange, 200, "text/html; charset=utf-8", page);
            }
            else if (path.equals("/herald/token")) {
                tokensServed.incrementAndGet();
                PageServer.reply(exchange, 200, "application/json", "{\"token\":\"" + HeraldStack.userToken(user) + "\"}");
            }
            else {
                PageServer.reply(exchange, 404, "text/plain", "");
            }
        });
        server.start();
        return server;
    }

    private static List<String> newestFirst(List<String> oldestFirst) {
        List<String> reversed = new ArrayList<>(oldestFirst);
        Collections.reverse(reversed);
        return reversed;
    }

    private static WebElement host() {
        return driver.findElement(By.cssSelector("herald-inbox"));
    }

    private static SearchContext inbox() {
        return host().getShadowRoot();
    }

    private static List<String> feedIds() {
        return inbox().findElements(By.cssSelector("li.item")).stream().map(li -> li.getDomAttribute("data-event-id")).toList();
    }

    private static Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static String computed(String selector, String property) {
        return (String) script("return getComputedStyle(document.querySelector('herald-inbox').shadowRoot.querySelector(arguments[0]))"
                + ".getPropertyValue(arguments[1]);", selector, property);
    }

    private static void awaitBadge(int unread) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> inbox().findElement(By.cssSelector(".badge")).getDomAttribute("data-count"), String.valueOf(unread)::equals);
        WebElement badge = inbox().findElement(By.cssSelector(".badge"));
        assertThat(badge.isDisplayed()).isEqualTo(unread > 0);
        if (unread > 0) {
            assertThat(badge.getText()).isEqualTo(unread > 99 ? "99+" : String.valueOf(unread));
        }
    }
}
