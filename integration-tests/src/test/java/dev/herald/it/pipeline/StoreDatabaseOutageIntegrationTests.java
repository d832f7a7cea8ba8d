package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.TestDatabase;

/**
 * The store's database unreachable for 20 s while notifications keep coming (issue 15's fault
 * suite): producer-api keeps accepting them (it needs no database), the inbox API answers 503 with
 * Retry-After instead of 500, and once the database is back the store catches up: every accepted
 * notification in its user's inbox exactly once, in the order sent, and the unread counts right.
 */
class StoreDatabaseOutageIntegrationTests {

    private static final int USERS = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void theStoreWaitsOutADatabaseOutageAndCatchesUpWhileTheInboxAnswers503() throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(HeraldStack.newUser("outage"));
        }
        Map<String, List<String>> accepted = new ConcurrentHashMap<>();
        users.forEach(user -> accepted.put(user, new CopyOnWriteArrayList<>()));
        List<String> refusedSends = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger sent = new AtomicInteger();
        // 50 notifications a second, round robin over the users, for the whole test.
        sender.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            String user = users.get(n % USERS);
            try {
                Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                        Map.of("userId", user, "type", "chat.message", "title", "n" + n));
                if (response.status() == 202) {
                    accepted.get(user).add(response.json().get("notifications").get(0).get("eventId").asString());
                }
                else {
                    refusedSends.add(response.toString());
                }
            }
            catch (RuntimeException ex) {
                refusedSends.add(ex.toString()); // and the schedule goes on
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> stack.inbox(users.get(0), "").get("items").size() > 0);

            List<Http.Response> duringOutage = new ArrayList<>();
            int acceptedBefore = total(accepted);
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
                acceptedDuring = total(accepted) - acceptedBefore;
            }
            long pluggedAt = System.nanoTime();

            assertThat(duringOutage).as("inbox reads while the database was away").hasSizeGreaterThan(4).allSatisfy(response -> {
                assertThat(response.status()).as(response.toString()).isEqualTo(503);
                assertThat(response.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                assertThat(response.raw().headers().firstValue("Retry-After")).isPresent();
            });
            assertThat(acceptedDuring).as("notifications accepted while the database was away").isGreaterThan(50);

            sender.shutdown();
            assertThat(sender.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(refusedSends).as("producer-api needs no database").isEmpty();

            for (String user : users) {
                // Until the pool has its connections back, reads may still answer 503.
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> eventIds(user).size() >= accepted.get(user).size());
            }
            Duration catchUp = Duration.ofNanos(System.nanoTime() - pluggedAt);
            System.out.printf("[db outage] %d accepted during a %d s outage; the store had all %d within %d ms of the database's return%n",
                    acceptedDuring, OUTAGE.toSeconds(), total(accepted), catchUp.toMillis());

            for (String user : users) {
                List<String> inboxOldestFirst = new ArrayList<>(eventIds(user));
                Collections.reverse(inboxOldestFirst);
                assertThat(inboxOldestFirst).as("the inbox of %s: each once, in the order sent", user)
                        .containsExactlyElementsOf(accepted.get(user));
                assertThat(stack.unread(user)).as("unread of %s", user).isEqualTo(accepted.get(user).size());
            }
        }
        finally {
            sender.shutdownNow();
        }
    }

    private List<String> eventIds(String user) {
        List<String> ids = new ArrayList<>();
        JsonNode page = stack.inbox(user, "?limit=200");
        while (true) {
            page.get("items").forEach(item -> ids.add(item.get("eventId").asString()));
            JsonNode next = page.get("next");
            if (next == null || next.isNull()) {
                return ids;
            }
            page = stack.inbox(user, "?limit=200&before=" + next.asString());
        }
    }

    private static int total(Map<String, List<String>> accepted) {
        return accepted.values().stream().mapToInt(List::size).sum();
    }
}
