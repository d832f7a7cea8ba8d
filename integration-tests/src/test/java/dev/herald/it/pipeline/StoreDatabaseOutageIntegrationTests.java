package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.SteadyLoad;
import dev.herald.it.support.TestDatabase;

/**
 * The store's database unreachable for 20 s while notifications keep coming (issue 15's fault
 * suite): producer-api keeps accepting them (it needs no database), the inbox API answers 503 with
 * Retry-After instead of 500, and once the database is back the store catches up: every accepted
 * notification in its user's inbox exactly once, in the order sent, and the unread counts right.
 */
class StoreDatabaseOutageIntegrationTests {

    private static final Duration OUTAGE = Duration.ofSeconds(20);

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void theStoreWaitsOutADatabaseOutageAndCatchesUpWhileTheInboxAnswers503() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            users.add(HeraldStack.newUser("outage"));
        }
        try (SteadyLoad load = SteadyLoad.start(stack, users, Duration.ofMillis(100))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> stack.inbox(users.get(0), "").get("items").size() > 0);

            List<Http.Response> duringOutage = new ArrayList<>();
            int acceptedBefore = load.accepted();
            int acceptedDuring;
            try (AutoCloseable unplugged = TestDatabase.unplug()) {
                long cutAt = System.nanoTime();
                // A user reading the inbox and a service asking for a count, every 500 ms until the
                // outage has lasted its time (each read may wait for the pool's connection timeout).
                await().atMost(OUTAGE.plusSeconds(15)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).until(() -> {
                    duringOutage.add(Http.get(stack.storeUrl() + "/v1/me/notifications", stack.tokenFor(users.get(1))));
                    duringOutage.add(Http.get(stack.storeUrl() + "/v1/users/" + users.get(2) + "/notifications/unread-count",
                            HeraldStack.API_KEY));
                    return System.nanoTime() - cutAt >= OUTAGE.toNanos();
                });
                acceptedDuring = load.accepted() - acceptedBefore;
            }
            long pluggedAt = System.nanoTime();

            assertThat(duringOutage).as("inbox reads while the database was away").hasSizeGreaterThan(4).allSatisfy(response -> {
                assertThat(response.status()).as(response.toString()).isEqualTo(503);
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                assertThat(response.header("Retry-After")).isNotNull();
            });
            assertThat(acceptedDuring).as("notifications accepted while the database was away").isGreaterThan(50);

            load.stop();
            load.awaitEveryInbox(Duration.ofSeconds(60));
            System.out.printf("[db outage] %d accepted during a %d s outage; the store had all %d within %d ms of the database's return%n",
                    acceptedDuring, OUTAGE.toSeconds(), load.accepted(), Duration.ofNanos(System.nanoTime() - pluggedAt).toMillis());
        }
    }
}
