package dev.herald.it.pipeline;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;
import dev.herald.store.ingest.AppliedPositions;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Inbox channels ({@code herald.store.inbox-channels}; here {@link HeraldStack#INBOX_CHANNEL}): a
 * channel message stored once is in every user's inbox list and unread count, and its read state is
 * each user's own, changed through the user's partition like any read.
 */
class InboxChannelIntegrationTests {

    private static final String CHANNEL = HeraldStack.INBOX_CHANNEL;

    private final HeraldStack stack = HeraldStack.get();
    private final JdbcTemplate db = stack.store().getBean(JdbcTemplate.class);

    /** Every user of every test has the inbox channel's messages: none may outlive the test that sent it. */
    @AfterEach
    void removeTheInboxChannelsMessages() {
        db.update("DELETE FROM channel_messages WHERE channel = ?", CHANNEL);
        db.update("DELETE FROM channel_reads WHERE channel = ?", CHANNEL);
        db.update("DELETE FROM channel_read_marks WHERE channel = ?", CHANNEL);
    }

    @Test
    void tenThousandUsersSeeOneStoredAlertInTheirCountAndOneUsersReadChangesOnlyTheirs() throws Exception {
        List<String> users = IntStream.range(0, 10_000).mapToObj(i -> "crowd-" + i + "-" + UUID.randomUUID().toString().substring(0, 6))
                .toList();
        long start = System.nanoTime();
        sendOneEach(users);
        String alert = publishAlert("Maintenance tonight");
        long sent = System.nanoTime();

        assertThat(db.queryForObject("SELECT COUNT(*) FROM channel_messages WHERE channel = ?", Integer.class, CHANNEL))
                .as("one stored row for every user").isEqualTo(1);
        assertThat(unreadInStore(users)).as("each: their own notification and the alert").containsOnlyKeys(2);
        long counted = System.nanoTime();
        assertThat(unreadOverHttp(users.subList(0, 200))).as("the endpoint says the same").containsOnlyKeys(2);

        String reader = users.get(4_321);
        Http.Response read = Http.post(userUrl(reader, "/notifications/" + alert + "/read?channel=" + CHANNEL),
                HeraldStack.API_KEY, Map.of());
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("unread").asInt()).isEqualTo(1);

        Map<Integer, List<String>> after = unreadInStore(users);
        assertThat(after.get(1)).as("the reader's count dropped by one").containsExactly(reader);
        assertThat(after.get(2)).as("everyone else's alert is still unread").hasSize(users.size() - 1);
        assertThat(db.queryForObject("SELECT COUNT(*) FROM channel_reads WHERE channel = ?", Integer.class, CHANNEL))
                .isEqualTo(1);
        JsonNode item = itemOf(page(reader, "?limit=5"), alert);
        assertThat(item.get("read").asBoolean()).isTrue();
        assertThat(item.get("readAt").isNull()).isFalse();
        assertThat(itemOf(page(users.get(0), "?limit=5"), alert).get("read").asBoolean()).isFalse();
        assertThat(unreadOverHttp(List.of(reader, users.get(0)))).containsOnlyKeys(1, 2);
        System.out.printf("inbox channel, 10,000 users: sent and applied in %d ms, 10,000 counts read in %d ms%n",
                (sent - start) / 1_000_000, (counted - sent) / 1_000_000);
    }

    @Test
    void aChannelItemIsShownAsOneAndReadAllCoversIt() {
        String user = HeraldStack.newUser("inbox");
        String own = stack.send(user, "Your order");
        String alert = publishAlert("Scheduled downtime");
        awaitOwn(user, 1);

        JsonNode page = page(user, "");
        assertThat(page.get("items")).hasSize(2);
        JsonNode item = itemOf(page, alert);
        assertThat(item.get("channel").asString()).isEqualTo(CHANNEL);
        assertThat(item.get("cursor").isNull()).as("not a position in the user's stream").isTrue();
        assertThat(item.get("channelCursor").asString()).isNotBlank();
        assertThat(item.get("title").asString()).isEqualTo("Scheduled downtime");
        assertThat(item.get("read").asBoolean()).isFalse();
        assertThat(itemOf(page, own).get("channel").isNull()).isTrue();
        assertThat(Cursor.parse(page.get("cursor").asString()).partition()).as("the page cursor is the user's stream position")
                .isEqualTo(Cursor.parse(itemOf(page, own).get("cursor").asString()).partition());
        assertThat(ids(page(user, "?status=unread"))).containsExactlyInAnyOrder(own, alert);

        Http.Response all = Http.post(stack.storeUrl() + "/v1/me/notifications/read-all", stack.tokenFor(user), Map.of());
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json().get("unread").asInt()).isZero();
        assertThat(stack.unread(user)).isZero();
        assertThat(ids(page(user, "?status=read"))).containsExactlyInAnyOrder(own, alert);
        assertThat(page(user, "?status=unread").get("items")).isEmpty();

        String later = publishAlert("Downtime over");
        assertThat(stack.unread(user)).as("read-all covers what the store held, not what came after").isEqualTo(1);
        assertThat(ids(page(user, "?status=unread"))).containsExactly(later);
    }

    @Test
    void pagesOfMixedItemsGoNewestFirstWithEveryItemOnceWhateverThePageSize() {
        String user = HeraldStack.newUser("mixed");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add(stack.send(user, "own " + i));
            expected.add(publishAlert("alert " + i));
            expected.add(stack.send(user, "own " + i + "b"));
        }
        awaitOwn(user, 8);
        JsonNode whole = page(user, "?limit=200");
        List<String> order = ids(whole);
        assertThat(order).containsExactlyInAnyOrderElementsOf(expected);
        List<Instant> accepted = new ArrayList<>();
        whole.get("items").forEach(item -> accepted.add(Instant.parse(item.get("acceptedAt").asString())));
        assertThat(accepted).as("newest first").isSortedAccordingTo((a, b) -> b.compareTo(a));

        for (int limit : new int[] { 1, 2, 3, 5 }) {
            List<String> paged = new ArrayList<>();
            String before = null;
            for (int pages = 0; pages < 20; pages++) {
                JsonNode page = page(user, "?limit=" + limit + (before == null ? "" : "&before=" + before));
                assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
                paged.addAll(ids(page));
                if (page.get("next").isNull()) {
                    break;
                }
                before = page.get("next").asString();
            }
            assertThat(paged).as("limit " + limit).isEqualTo(order);
        }

        // after= a user cursor (the SDK's gap fill) is of the user's stream alone, oldest first.
        String oldestOwn = whole.get("items").get(order.size() - 1).get("cursor").isNull()
                ? whole.get("items").get(order.size() - 2).get("cursor").asString()
                : whole.get("items").get(order.size() - 1).get("cursor").asString();
        JsonNode after = page(user, "?limit=200&after=" + oldestOwn);
        after.get("items").forEach(item -> assertThat(item.get("channel").isNull()).isTrue());
        assertThat(after.get("items")).hasSize(7);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndAnUnknownMessageIsNotFound() {
        String user = HeraldStack.newUser("bad");
        String alert = publishAlert("An alert");
        stack.send(user, "one");
        awaitOwn(user, 1);
        String token = stack.tokenFor(user);
        String me = stack.storeUrl() + "/v1/me/notifications/";

        assertProblem(Http.post(me + "no-such-alert/read?channel=" + CHANNEL, token, Map.of()), 404);
        assertProblem(Http.post(me + alert + "/read", token, Map.of()), 404);
        assertProblem(Http.post(me + alert + "/read?channel=Not-A-Channel", token, Map.of()), 400, "channel");
        assertProblem(Http.post(me + alert + "/read?channel=elsewhere", token, Map.of()), 400, "channel");
        // The newest item is the user's own; the alert is left for the next page, so the cursor names the channel.
        String next = page(user, "?limit=1").get("next").asString();
        assertThat(next).contains("~" + CHANNEL + "~");
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications?before=" + next.replace(CHANNEL, "elsewhere"), token),
                400, "before");
        assertProblem(Http.get(stack.storeUrl() + "/v1/me/notifications?before=" + next + "~x", token), 400, "before");
        assertThat(stack.unread(user)).as("nothing was half-applied").isEqualTo(2);
    }

    // --- helpers ---

    /**
     * One notification to each user, 500 recipients a request (retried with its Idempotency-Key while
     * a cold broker answers 503), and waits until the store applied them all.
     */
    private void sendOneEach(List<String> users) {
        Map<Integer, Long> ends = new HashMap<>();
        for (int from = 0; from < users.size(); from += 500) {
            Map<String, Object> body = Map.of("recipients", users.subList(from, Math.min(users.size(), from + 500)),
                    "type", "chat.message", "title", "Hello");
            String key = UUID.randomUUID().toString();
            Http.Response response = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                    () -> Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, body, "Idempotency-Key", key),
                    answer -> answer.status() != 503);
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
            response.json().get("notifications").forEach(n -> {
                Cursor cursor = Cursor.parse(n.get("cursor").asString());
                ends.merge(cursor.partition(), cursor.offset(), Math::max);
            });
        }
        AppliedPositions positions = stack.store().getBean(AppliedPositions.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> ends.entrySet().stream()
                .allMatch(end -> positions.current(end.getKey()).offset() >= end.getValue()));
    }

    /** Publishes a message to the inbox channel and waits until the store holds it; returns its eventId. */
    private String publishAlert(String title) {
        Http.Response response = Http.post(stack.producerUrl() + "/v1/channels/" + CHANNEL + "/messages", HeraldStack.API_KEY,
                Map.of("type", "system.maintenance", "title", title));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        String eventId = response.json().get("eventId").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "SELECT COUNT(*) FROM channel_messages WHERE channel = ? AND event_id = ?", Integer.class, CHANNEL, eventId) == 1);
        return eventId;
    }

    /** Waits until the user's own notifications in the inbox number {@code size}. */
    private void awaitOwn(String user, int size) {
        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "SELECT COUNT(*) FROM notifications WHERE user_id = ?", Integer.class, user) == size);
    }

    /** Users by unread count, each read through the store's endpoint. */
    private Map<Integer, List<String>> unreadOverHttp(List<String> users) throws Exception {
        return byCount(users, user -> {
            Http.Response response = Http.get(userUrl(user, "/notifications/unread-count"), HeraldStack.API_KEY);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            return response.json().get("unread").asInt();
        });
    }

    /**
     * Users by unread count, each read by the store's own read path, the bean behind the endpoint
     * ({@code UnreadCounts}, package-private, hence reflection): 10,000 HTTP requests take ~50 s on
     * two shared cores, mostly HTTP and auth, which the endpoint's tests cover anyway.
     */
    private Map<Integer, List<String>> unreadInStore(List<String> users) throws Exception {
        Class<?> type = Class.forName("dev.herald.store.inbox.UnreadCounts");
        Object counts = stack.store().getBean(type);
        Method unread = type.getDeclaredMethod("unread", String.class);
        unread.setAccessible(true);
        return byCount(users, user -> (Integer) unread.invoke(counts, user));
    }

    private interface Count {
        int of(String user) throws Exception;
    }

    /** Users by their count, four at a time. */
    private static Map<Integer, List<String>> byCount(List<String> users, Count count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> counts = new ArrayList<>();
            for (String user : users) {
                counts.add(pool.submit(() -> count.of(user)));
            }
            Map<Integer, List<String>> byCount = new HashMap<>();
            for (int i = 0; i < users.size(); i++) {
                byCount.computeIfAbsent(counts.get(i).get(), c -> new ArrayList<>()).add(users.get(i));
            }
            return byCount;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private String userUrl(String user, String path) {
        return stack.storeUrl() + "/v1/users/" + user + path;
    }

    private JsonNode page(String user, String query) {
        return stack.inbox(user, query);
    }

    private static JsonNode itemOf(JsonNode page, String eventId) {
        for (JsonNode item : page.get("items")) {
            if (item.get("eventId").asString().equals(eventId)) {
                return item;
            }
        }
        throw new AssertionError("no item " + eventId + " in " + page);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("eventId").asString()));
        return ids;
    }
}
