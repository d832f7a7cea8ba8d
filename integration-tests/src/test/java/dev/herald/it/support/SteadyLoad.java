package dev.herald.it.support;

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

/**
 * Notifications sent at a steady pace while a test breaks something: every {@code period}, one
 * request of one notification per user in a batch, keeping the eventIds producer-api accepted per
 * user in the order sent, and every refusal. {@link #awaitEveryInbox} then checks the store lost
 * nothing and stored nothing twice.
 */
public final class SteadyLoad implements AutoCloseable {

    private final HeraldStack stack;
    private final List<String> users;
    private final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger requests = new AtomicInteger();

    private SteadyLoad(HeraldStack stack, List<String> users, Duration period) {
        this.stack = stack;
        this.users = List.copyOf(users);
        users.forEach(user -> accepted.put(user, new CopyOnWriteArrayList<>()));
        sender.scheduleAtFixedRate(this::sendOne, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts sending to {@code users}, one notification each every {@code period}. */
    public static SteadyLoad start(HeraldStack stack, List<String> users, Duration period) {
        return new SteadyLoad(stack, users, period);
    }

    private void sendOne() {
        int n = requests.getAndIncrement();
        List<Map<String, Object>> notifications = new ArrayList<>();
        for (String user : users) {
            notifications.add(Map.of("userId", user, "type", "chat.message", "title", "n" + n));
        }
        try {
            Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                    Map.of("notifications", notifications));
            if (response.status() == 202) {
                response.json().get("notifications").forEach(
                        event -> accepted.get(event.get("userId").asString()).add(event.get("eventId").asString()));
            }
            else {
                refused.add(response.toString());
            }
        }
        catch (RuntimeException ex) {
            refused.add(ex.toString()); // and the schedule goes on
        }
    }

    /** How many notifications producer-api accepted so far, over all users. */
    public int accepted() {
        return accepted.values().stream().mapToInt(List::size).sum();
    }

    /** Stops sending, after the request in flight; asserts producer-api refused none. */
    public void stop() throws InterruptedException {
        sender.shutdown();
        assertThat(sender.awaitTermination(30, TimeUnit.SECONDS)).as("the last request answered").isTrue();
        assertThat(refused).as("refused requests").isEmpty();
    }

    /**
     * Waits until every user's inbox holds every notification accepted for them, then asserts it
     * holds each exactly once, in the order sent, and that the unread count says as many.
     */
    public void awaitEveryInbox(Duration atMost) {
        for (String user : users) {
            // Until the store has caught up, its reads may also answer 503 (an outage just ended).
            await().atMost(atMost).ignoreExceptions().until(() -> eventIds(user).size() >= accepted.get(user).size());
        }
        for (String user : users) {
            List<String> oldestFirst = new ArrayList<>(eventIds(user));
            Collections.reverse(oldestFirst);
            assertThat(oldestFirst).as("the inbox of %s: each once, in the order sent", user).containsExactlyElementsOf(accepted.get(user));
            assertThat(stack.unread(user)).as("the unread count of %s", user).isEqualTo(accepted.get(user).size());
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

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
