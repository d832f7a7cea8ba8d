package dev.herald.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * user in the order sent, and every refusal; a request refused with 503 is sent again with the same
 * Idempotency-Key until accepted. {@link #awaitEveryInbox} then checks the store lost
 * nothing and stored nothing twice. Against the shared {@link HeraldStack}, or a stack of a test's
 * own (its producer-api and store URLs).
 */
public final class SteadyLoad implements AutoCloseable {

    private final String producerUrl;
    private final String storeUrl;
    private final List<String> users;
    private final Map<String, List<String>> accepted = new ConcurrentHashMap<>();
    private final List<Http.Response> refused = new CopyOnWriteArrayList<>();
    private final List<String> failed = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger requests = new AtomicInteger();
    private final String run = "steady-" + UUID.randomUUID();
    private String pendingKey;
    private Map<String, Object> pendingBody;

    private SteadyLoad(String producerUrl, String storeUrl, List<String> users, Duration period) {
        this.producerUrl = producerUrl;
        this.storeUrl = storeUrl;
        this.users = List.copyOf(users);
        users.forEach(user -> accepted.put(user, new CopyOnWriteArrayList<>()));
        sender.scheduleAtFixedRate(this::sendOne, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts sending to {@code users}, one notification each every {@code period}. */
    public static SteadyLoad start(HeraldStack stack, List<String> users, Duration period) {
        return start(stack.producerUrl(), stack.storeUrl(), users, period);
    }

    /** The same against the producer-api and store at these URLs. */
    public static SteadyLoad start(String producerUrl, String storeUrl, List<String> users, Duration period) {
        return new SteadyLoad(producerUrl, storeUrl, users, period);
    }

    /**
     * On the sender thread: the pending request again (after a 503 or no answer, with the same
     * Idempotency-Key, as a careful backend retries), else the next one. A user's notifications so
     * keep their order: the next request waits until the last one was accepted.
     */
    private void sendOne() {
        if (pendingKey == null) {
            int n = requests.getAndIncrement();
            List<Map<String, Object>> notifications = new ArrayList<>();
            for (String user : users) {
                notifications.add(Map.of("userId", user, "type", "chat.message", "title", "n" + n));
            }
            pendingKey = run + "-" + n;
            pendingBody = Map.of("notifications", notifications);
        }
        try {
            Http.Response response = Http.post(producerUrl + "/v1/notifications/batch", HeraldStack.API_KEY, pendingBody,
                    "Idempotency-Key", pendingKey);
            if (response.status() == 202) {
                response.json().get("notifications").forEach(
                        event -> accepted.get(event.get("userId").asString()).add(event.get("eventId").asString()));
                pendingKey = null;
            }
            else {
                refused.add(response);
                if (response.status() != 503) {
                    pendingKey = null;
                }
            }
        }
        catch (RuntimeException ex) {
            failed.add(ex.toString()); // and sent again with the same key
        }
    }

    /** How many notifications producer-api accepted so far, over all users. */
    public int accepted() {
        return accepted.values().stream().mapToInt(List::size).sum();
    }

    /** The accepted eventIds of one user, in the order sent. */
    public List<String> acceptedFor(String user) {
        return List.copyOf(accepted.get(user));
    }

    /** Stops sending, after the request in flight; asserts producer-api refused none. */
    public void stop() throws InterruptedException {
        stopSending();
        assertThat(refused).as("refused requests").isEmpty();
    }

    /**
     * Stops sending, as {@link #stop()}, for a test that took Kafka away: asserts every refusal was a
     * 503 problem with Retry-After, and returns how many there were.
     */
    public int stopAllowingUnavailable() throws InterruptedException {
        stopSending();
        assertThat(refused).as("refusals while Kafka was away").allSatisfy(response -> {
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(Integer.parseInt(response.header("Retry-After"))).as(response.toString()).isPositive();
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        });
        return refused.size();
    }

    private void stopSending() throws InterruptedException {
        sender.shutdown();
        assertThat(sender.awaitTermination(30, TimeUnit.SECONDS)).as("the last request answered").isTrue();
        assertThat(failed).as("requests that got no answer").isEmpty();
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
            int unread = Http.get(storeUrl + "/v1/me/notifications/unread-count", HeraldStack.userToken(user)).json().get("unread").asInt();
            assertThat(unread).as("the unread count of %s", user).isEqualTo(accepted.get(user).size());
        }
    }

    private List<String> eventIds(String user) {
        List<String> ids = new ArrayList<>();
        JsonNode page = inbox(user, "?limit=200");
        while (true) {
            page.get("items").forEach(item -> ids.add(item.get("eventId").asString()));
            JsonNode next = page.get("next");
            if (next == null || next.isNull()) {
                return ids;
            }
            page = inbox(user, "?limit=200&before=" + next.asString());
        }
    }

    private JsonNode inbox(String user, String query) {
        return HeraldStack.inbox(storeUrl, user, query);
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
