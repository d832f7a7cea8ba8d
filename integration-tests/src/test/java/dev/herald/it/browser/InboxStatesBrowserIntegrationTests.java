package dev.herald.it.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.BrowserPageTests;
import dev.herald.it.support.Chromium;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.PageServer;

/**
 * Item states (issue 17) in a real headless Chromium against the real stack: two
 * {@code <herald-inbox badge="unseen">} elements on one page, each with a Herald (and a socket) of its
 * own, stand for two tabs of one user. Opening the feed in one marks everything seen and the other's
 * badge clears live; archiving in one hides the item in the other, and unarchiving from the
 * "Archived" view brings it back, through the gateway's {@code state} frames. Needs Debian's
 * {@code chromium} and {@code chromium-driver} (skipped without them).
 */
class InboxStatesBrowserIntegrationTests extends BrowserPageTests {

    private static final Duration LIVE = Duration.ofSeconds(15);


    @Test
    void seeingAndArchivingInOneTabReachTheOtherLive() throws IOException {
        HeraldStack stack = HeraldStack.get();
        String gatewayUrl = Gateways.shared().get(0).baseUrl();
        String user = HeraldStack.newUser("states-tabs");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(stack.send(user, "Item " + i));
        }
        stack.awaitInbox(user, 3);
        site = startSite(user, stack.storeUrl(), gatewayUrl);
        chromium = Chromium.start();
        driver = chromium.driver();
        try {
            driver.get(PageServer.origin(site) + "/");
            for (String tab : List.of("a", "b")) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> host(tab).getDomAttribute("data-state"), "open"::equals);
                awaitBadge(tab, 3);
            }

            // Opening the feed in tab A marks everything seen: B's unseen badge clears through the gateway.
            root("a").findElement(By.cssSelector(".bell")).click();
            awaitBadge("b", 0);
            awaitBadge("a", 0);
            assertThat(counts(stack, user)).as("the store agrees").containsExactly(3, 0);
            assertThat(script("return document.querySelector('#b').herald.unreadCount")).as("seen is not read").isEqualTo(3L);

            // Archiving in A hides the item in B too, and takes it out of B's unread count.
            String archived = sent.get(1);
            item("a", archived).findElement(By.cssSelector(".item-archive")).click();
            await().atMost(LIVE).until(() -> heldIds("b"), ids -> !ids.contains(archived) && ids.size() == 2);
            assertThat(script("return document.querySelector('#b').herald.unreadCount")).isEqualTo(2L);
            assertThat(feedIds("b")).doesNotContain(archived);
            assertThat(counts(stack, user)).containsExactly(2, 0);

            // A's Archived view lists it; Unarchive brings it back into B's feed.
            root("a").findElement(By.cssSelector(".show-archived")).click();
            await().atMost(LIVE).until(() -> feedIds("a"), List.of(archived)::equals);
            chromium.saveArtifacts("states-archived-view");
            item("a", archived).findElement(By.cssSelector(".item-archive")).click();
            await().atMost(LIVE).until(() -> heldIds("b"), ids -> ids.contains(archived) && ids.size() == 3);
            await().atMost(LIVE).until(() -> script("return document.querySelector('#b').herald.unreadCount"), Long.valueOf(3)::equals);
            assertThat(counts(stack, user)).containsExactly(3, 0);
            root("a").findElement(By.cssSelector(".show-archived")).click();
            await().atMost(LIVE).until(() -> feedIds("a").size() == 3);
        }
        finally {
            if (chromium != null) {
                chromium.saveArtifacts("states-end");
            }
        }
    }

    /** The site: one page with two elements (two "tabs"), the module from the store, and the token URL. */
    private static HttpServer startSite(String user, String storeUrl, String gatewayUrl) throws IOException {
        String page = """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Item states</title><link rel="icon" href="data:,">
                <style>body { font: 15px system-ui, sans-serif; margin: 0; } header { display: flex; justify-content: flex-end;
                gap: 1rem; padding: .75rem 1.5rem; border-bottom: 1px solid #e5e7eb; }</style>
                <script type="module" src="%1$s/sdk/herald-inbox.js"></script>
                </head>
                <body>
                <header>
                <herald-inbox id="b" badge="unseen" label="Tab B" store-url="%1$s" gateway-url="%2$s" token-url="/herald/token"></herald-inbox>
                <herald-inbox id="a" badge="unseen" label="Tab A" store-url="%1$s" gateway-url="%2$s" token-url="/herald/token"></herald-inbox>
                </header>
                </body>
                </html>
                """.formatted(storeUrl, gatewayUrl);
        return serve(page, user);
    }

    private static List<Integer> counts(HeraldStack stack, String user) {
        JsonNode count = Http.get(stack.storeUrl() + "/v1/me/notifications/unread-count", stack.tokenFor(user)).json();
        return List.of(count.get("unread").asInt(), count.get("unseen").asInt());
    }

    private static WebElement host(String tab) {
        return driver.findElement(By.id(tab));
    }

    private static SearchContext root(String tab) {
        return host(tab).getShadowRoot();
    }

    private static WebElement item(String tab, String eventId) {
        return root(tab).findElements(By.cssSelector("li.item")).stream()
                .filter(li -> eventId.equals(li.getDomAttribute("data-event-id"))).findFirst()
                .orElseThrow(() -> new AssertionError(eventId + " is not in tab " + tab + "'s feed: " + feedIds(tab)));
    }

    private static List<String> feedIds(String tab) {
        return root(tab).findElements(By.cssSelector("li.item")).stream().map(li -> li.getDomAttribute("data-event-id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> heldIds(String tab) {
        return (List<String>) script("return document.getElementById(arguments[0]).herald.items.map(i => i.eventId)", tab);
    }

    private static Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void awaitBadge(String tab, int count) {
        await().atMost(LIVE).pollInterval(Duration.ofMillis(50))
                .until(() -> root(tab).findElement(By.cssSelector(".badge")).getDomAttribute("data-count"), String.valueOf(count)::equals);
        assertThat(root(tab).findElement(By.cssSelector(".badge")).isDisplayed()).isEqualTo(count > 0);
    }
}
