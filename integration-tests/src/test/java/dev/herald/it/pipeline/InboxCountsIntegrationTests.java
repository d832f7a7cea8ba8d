package dev.herald.it.pipeline;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tabs and counts (issue 17 item 2) with a real Kafka broker and the real database: tags sent with
 * notifications, {@code GET …/counts} per filter exact after every kind of state change (checked
 * against a recount the test makes itself from the unfiltered list), lists filtered by type prefix
 * and tag paging exactly, and bad filters refused naming the field.
 */
class InboxCountsIntegrationTests {

    private static final List<String> FILTERS = List.of("all", "type:order.*", "type:order.shipped", "type:order.shipped.*",
            "type:orders.*", "type:chat.message", "tag:vip", "tag:eu", "tag:nobody");

    private final HeraldStack stack = HeraldStack.get();
    private final Map<String, String> starts = new HashMap<>();

    @Test
    void countsPerFilterStayExactThroughReadSeenArchiveAndTheirAllKinds() {
        String user = HeraldStack.newUser("counts");
        Map<String, String> ids = send(user, List.of(
                n("a", "order.shipped", "vip"), n("b", "order.shipped.late", "vip", "eu"), n("c", "order.paid"),
                n("d", "orders.new", "eu"), n("e", "chat.message"), n("f", "order.shipped"), n("g", "chat.message", "vip")));

        Map<String, List<Integer>> counts = counts(user, FILTERS);
        assertThat(counts).as("every item unread and unseen").containsAllEntriesOf(Map.of(
                "type:order.*", List.of(4, 4), "type:order.shipped", List.of(2, 2), "type:order.shipped.*", List.of(1, 1),
                "type:orders.*", List.of(1, 1), "type:chat.message", List.of(2, 2), "tag:vip", List.of(3, 3),
                "tag:eu", List.of(2, 2), "tag:nobody", List.of(0, 0)));
        assertExact(user);

        assertThat(post(user, ids.get("a") + "/read").status()).isEqualTo(200);
        assertThat(post(user, ids.get("b") + "/seen").status()).isEqualTo(200);
        assertThat(counts(user, List.of("type:order.*", "tag:vip", "tag:eu")))
                .containsExactly(Map.entry("type:order.*", List.of(3, 3)), Map.entry("tag:vip", List.of(2, 2)),
                        Map.entry("tag:eu", List.of(2, 1)));
        assertExact(user);

        assertThat(post(user, ids.get("c") + "/archive").status()).isEqualTo(200);
        assertThat(post(user, ids.get("g") + "/archive").status()).isEqualTo(200);
        assertThat(counts(user, List.of("type:order.*", "tag:vip"))).containsExactly(
                Map.entry("type:order.*", List.of(2, 2)), Map.entry("tag:vip", List.of(1, 1)));
        assertExact(user);
        assertThat(post(user, ids.get("g") + "/unarchive").status()).isEqualTo(200);
        assertExact(user);

        assertThat(post(user, "seen-all").status()).isEqualTo(200);
        assertThat(counts(user, List.of("tag:vip"))).containsEntry("tag:vip", List.of(2, 0));
        assertExact(user);
        assertThat(post(user, "read-all").status()).isEqualTo(200);
        assertExact(user);
        assertThat(counts(user, List.of("type:order.*"))).containsEntry("type:order.*", List.of(0, 0));

        String later = send(user, List.<String[]>of(n("h", "order.refunded", "vip"))).get("h");
        assertThat(counts(user, List.of("type:order.*", "tag:vip"))).containsExactly(
                Map.entry("type:order.*", List.of(1, 1)), Map.entry("tag:vip", List.of(1, 1)));
        assertThat(post(user, "archive-all?status=read").status()).isEqualTo(200);
        assertThat(ids(stack.inbox(user, "?type=order.*&limit=200"))).as("only the unread one stays").containsExactly(later);
        assertExact(user);
        assertThat(post(user, ids.get("c") + "/unarchive").status()).as("read before it was archived").isEqualTo(200);
        assertThat(counts(user, List.of("type:order.*"))).containsEntry("type:order.*", List.of(1, 1));
        assertExact(user);
        assertThat(post(user, "archive-all?status=all").status()).isEqualTo(200);
        assertThat(counts(user, FILTERS.subList(1, FILTERS.size()))).allSatisfy((filter, c) -> assertThat(c).as(filter)
                .containsExactly(0, 0));
        assertExact(user);
    }

    @Test
    void theUsersPathAnswersTheSameWithAnApiKeyAndDuplicateFiltersAreAnsweredInOrder() {
        String user = HeraldStack.newUser("counts-key");
        send(user, List.<String[]>of(n("a", "order.shipped", "vip")));
        Http.Response response = Http.get(stack.storeUrl() + "/v1/users/" + user
                + "/notifications/counts?filter=tag:vip&filter=type:order.*&filter=tag:vip", HeraldStack.API_KEY);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("counts")).extracting(c -> c.get("filter").asString() + "=" + c.get("unread").asInt()
                + "/" + c.get("unseen").asInt()).containsExactly("tag:vip=1/1", "type:order.*=1/1", "tag:vip=1/1");
        assertThat(Cursor.parse(response.json().get("cursor").asString())).isNotNull();
    }

    @Test
    void aNotificationThatArrivesMutedCountsInNoFilterButIsListedWithMutedInclude() {
        String user = HeraldStack.newUser("counts-muted");
        Http.Response put = Http.put(stack.storeUrl() + "/v1/me/preferences", stack.tokenFor(user),
                Map.of("rules", List.of(Map.of("type", "promo.*", "mute", true))));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        Map<String, String> ids = send(user, List.of(n("a", "promo.sale", "vip"), n("b", "order.shipped", "vip")));

        assertThat(counts(user, List.of("tag:vip", "type:promo.*", "type:promo.sale"))).containsExactly(
                Map.entry("tag:vip", List.of(1, 1)), Map.entry("type:promo.*", List.of(0, 0)),
                Map.entry("type:promo.sale", List.of(0, 0)));
        assertThat(ids(stack.inbox(user, "?tag=vip"))).containsExactly(ids.get("b"));
        assertThat(ids(stack.inbox(user, "?tag=vip&muted=include"))).containsExactly(ids.get("b"), ids.get("a"));
        assertThat(post(user, ids.get("a") + "/archive").status()).isEqualTo(200);
        assertThat(post(user, ids.get("a") + "/unarchive").status()).isEqualTo(200);
        assertThat(post(user, "read-all").status()).isEqualTo(200);
        assertThat(counts(user, List.of("tag:vip", "type:promo.*"))).as("never counted, so never uncounted").containsExactly(
                Map.entry("tag:vip", List.of(0, 1)), Map.entry("type:promo.*", List.of(0, 0)));
    }

    @Test
    void expiringNotificationsLeaveTheirFiltersCountsWhenTheyExpireAndTheSweepKeepsThemExact() {
        String user = HeraldStack.newUser("counts-expiry");
        Map<String, String> stays = send(user, List.<String[]>of(n("a", "order.shipped", "vip")));
        Instant expiresAt = Instant.now().plusSeconds(4);
        List<Map<String, Object>> expiring = List.of(
                Map.of("userId", user, "type", "order.paid", "title", "Goes", "tags", List.of("vip"), "expiresAt", expiresAt.toString()),
                Map.of("userId", user, "type", "order.paid", "title", "Goes, read", "tags", List.of("eu"),
                        "expiresAt", expiresAt.toString()));
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", expiring));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        JsonNode accepted = response.json().get("notifications");
        stack.awaitApplied(user, Cursor.parse(accepted.get(1).get("cursor").asString()));
        post(user, accepted.get(1).get("eventId").asString() + "/read");
        if (Instant.now().isBefore(expiresAt.minusMillis(500))) {
            assertThat(counts(user, List.of("type:order.*", "tag:vip", "tag:eu"))).containsExactly(
                    Map.entry("type:order.*", List.of(2, 3)), Map.entry("tag:vip", List.of(2, 2)), Map.entry("tag:eu", List.of(0, 1)));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> Instant.now().isAfter(expiresAt)
                && ids(stack.inbox(user, "?type=order.*")).equals(List.copyOf(stays.values())));
        assertThat(counts(user, List.of("type:order.*", "type:order.paid", "tag:vip", "tag:eu")))
                .as("right after expiry, before or after the sweep").containsExactly(
                        Map.entry("type:order.*", List.of(1, 1)), Map.entry("type:order.paid", List.of(0, 0)),
                        Map.entry("tag:vip", List.of(1, 1)), Map.entry("tag:eu", List.of(0, 0)));
        assertExact(user);
        JdbcTemplate db = stack.store().getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "SELECT COUNT(*) FROM notifications WHERE user_id = ?", Integer.class, user) == 1);
        assertThat(db.queryForList("SELECT counter_key FROM notification_keys WHERE user_id = ? ORDER BY counter_key",
                String.class, user)).as("the swept rows' keys went with them (a prefix has no rows: it is a range of these)")
                .containsExactly("tag:vip", "type:order.shipped");
        assertThat(db.queryForObject("SELECT unread FROM inbox_counts WHERE user_id = ? AND counter_key = 'tag:vip'",
                Integer.class, user)).as("the sweep took the unread expired one off the stored counter").isEqualTo(1);
        assertExact(user);
    }

    @Test
    void listsFilteredByTypePrefixAndTagPageExactlyBothWays() {
        String user = HeraldStack.newUser("tabs-list");
        List<String[]> sent = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            String type = switch (i % 3) {
                case 0 -> "order.shipped";
                case 1 -> "chat.message";
                default -> "order.paid.partly";
            };
            sent.add(i % 4 == 0 ? n("x" + i, type, "vip") : n("x" + i, type));
        }
        Map<String, String> ids = send(user, sent);
        List<String> newestFirst = reversed(new ArrayList<>(ids.values()));
        List<String> orders = newestFirst.stream().filter(id -> !typeOf(ids, id).startsWith("chat")).toList();
        List<String> vips = newestFirst.stream().filter(id -> Integer.parseInt(keyOf(ids, id).substring(1)) % 4 == 0).toList();

        assertThat(pageThrough(user, "type=order.*", 2, false)).isEqualTo(orders);
        assertThat(pageThrough(user, "type=order.*", 3, true)).isEqualTo(reversed(orders));
        assertThat(pageThrough(user, "type=order.paid.partly", 2, false))
                .isEqualTo(newestFirst.stream().filter(id -> typeOf(ids, id).equals("order.paid.partly")).toList());
        assertThat(pageThrough(user, "tag=vip", 1, false)).isEqualTo(vips);
        assertThat(pageThrough(user, "type=order.shipped.*", 2, false)).as("a prefix matches at '.' only").isEmpty();

        post(user, orders.get(0) + "/read");
        assertThat(pageThrough(user, "type=order.*&status=unread", 2, false)).isEqualTo(orders.subList(1, orders.size()));
        assertThat(pageThrough(user, "type=order.*&status=read", 2, false)).containsExactly(orders.get(0));
        JsonNode item = stack.inbox(user, "?tag=vip&limit=1").get("items").get(0);
        assertThat(item.get("tags")).extracting(JsonNode::asString).containsExactly("vip");
        assertThat(item.has("channel") && !item.get("channel").isNull()).isFalse();
    }

    @Test
    void badFiltersAndTagsAreRefusedNamingTheField() {
        String user = HeraldStack.newUser("counts-bad");
        String token = stack.tokenFor(user);
        String counts = stack.storeUrl() + "/v1/me/notifications/counts";
        Http.Response none = Http.get(counts, token);
        assertThat(none.status()).as(none.toString()).isEqualTo(200);
        assertThat(none.json().get("counts")).as("no filter: all").extracting(c -> c.get("filter").asString())
                .containsExactly("all");
        assertProblem(Http.get(counts + "?" + IntStream.range(0, 21).mapToObj(i -> "filter=tag:t" + i)
                .collect(Collectors.joining("&")), token), 400, "filter");
        assertProblem(Http.get(counts + "?filter=all&filter=state:unseen", token), 400, "filter[1]");
        assertProblem(Http.get(counts + "?filter=type:Order.*&filter=all&filter=tag:VIP", token), 400, "filter[0]", "filter[2]");
        assertProblem(Http.get(counts + "?filter=type:order*", token), 400, "filter[0]");
        String list = stack.storeUrl() + "/v1/me/notifications";
        assertProblem(Http.get(list + "?type=Order", token), 400, "type");
        assertProblem(Http.get(list + "?type=order.**", token), 400, "type");
        assertProblem(Http.get(list + "?tag=v%20ip", token), 400, "tag");
        assertProblem(Http.get(list + "?type=order.*&tag=vip", token), 400, "tag");
        assertProblem(Http.get(list + "?type=order.*&status=hidden", token), 400, "status");

        assertProblem(Http.post(stack.producerUrl() + "/v1/notifications", HeraldStack.API_KEY, Map.of("userId", user,
                "type", "order.shipped", "title", "T", "tags", List.of("vip", "eu", "Not Ok"))), 400, "tags[2]");
        assertProblem(Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY, Map.of("notifications",
                List.of(Map.of("userId", user, "type", "order.shipped", "title", "T", "tags", List.of("vip", "vip"))))),
                400, "notifications[0].tags[1]");
        assertThat(counts(user, List.of("tag:vip"))).as("nothing was published").containsEntry("tag:vip", List.of(0, 0));
    }

    // --- helpers ---

    private static String[] n(String key, String type, String... tags) {
        String[] spec = new String[tags.length + 2];
        spec[0] = key;
        spec[1] = type;
        System.arraycopy(tags, 0, spec, 2, tags.length);
        return spec;
    }

    /** Sends the notifications in one batch, waits until the store applied them; their eventIds by key, in order. */
    private Map<String, String> send(String user, List<String[]> specs) {
        // The position before the user's first notification: what oldest-first pages start after.
        starts.putIfAbsent(user, stack.inbox(user, "?limit=1").get("cursor").asString());
        List<Map<String, Object>> notifications = specs.stream().map(spec -> Map.<String, Object>of("userId", user,
                "type", spec[1], "title", spec[0], "eventId", spec[0] + "-" + spec[1] + "-" + user.substring(user.length() - 8),
                "tags", List.of(spec).subList(2, spec.length))).toList();
        Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", notifications));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        JsonNode accepted = response.json().get("notifications");
        stack.awaitApplied(user, Cursor.parse(accepted.get(accepted.size() - 1).get("cursor").asString()));
        Map<String, String> ids = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            ids.put(specs.get(i)[0], accepted.get(i).get("eventId").asString());
        }
        return ids;
    }

    private static List<String> reversed(List<String> list) {
        List<String> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static String typeOf(Map<String, String> ids, String eventId) {
        return eventId.split("-")[1];
    }

    private static String keyOf(Map<String, String> ids, String eventId) {
        return eventId.split("-")[0];
    }

    /** Every item of the filtered list, page by page of {@code limit}, newest first (or oldest first with after=). */
    private List<String> pageThrough(String user, String query, int limit, boolean oldestFirst) {
        List<String> all = new ArrayList<>();
        String from = oldestFirst ? "&after=" + starts.get(user) : "";
        for (int pages = 0; pages < 50; pages++) {
            JsonNode page = stack.inbox(user, "?" + query + "&limit=" + limit + from);
            all.addAll(ids(page));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            if (page.get("next").isNull()) {
                return all;
            }
            from = (oldestFirst ? "&after=" : "&before=") + page.get("next").asString();
        }
        throw new AssertionError("more than 50 pages");
    }


    private Http.Response post(String user, String path) {
        Http.Response response = Http.post(stack.storeUrl() + "/v1/me/notifications/" + path, stack.tokenFor(user), null);
        assertThat(response.status()).as(response.toString()).isIn(200, 202);
        return response;
    }

    /** The counts endpoint's answer, filter by filter in the order asked. */
    private Map<String, List<Integer>> counts(String user, List<String> filters) {
        String query = filters.stream().map(f -> "filter=" + f).collect(Collectors.joining("&"));
        Http.Response response = Http.get(stack.storeUrl() + "/v1/me/notifications/counts?" + query, stack.tokenFor(user));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        response.json().get("counts").forEach(c -> counts.put(c.get("filter").asString(),
                List.of(c.get("unread").asInt(), c.get("unseen").asInt())));
        return counts;
    }

    /**
     * Every filter's counts equal a recount the test makes from the unfiltered list (the user's own,
     * unarchived items, matched by the test's own reading of the filter), and {@code all} equals the
     * unread-count endpoint.
     */
    private void assertExact(String user) {
        List<JsonNode> own = stack.inbox(user, "?limit=200").get("items").valueStream()
                .filter(item -> !item.has("channel") || item.get("channel").isNull()).toList();
        Map<String, List<Integer>> expected = new LinkedHashMap<>();
        for (String filter : FILTERS.subList(1, FILTERS.size())) {
            List<JsonNode> matching = own.stream().filter(item -> matches(filter, item)).toList();
            expected.put(filter, List.of((int) matching.stream().filter(i -> !i.get("read").asBoolean()).count(),
                    (int) matching.stream().filter(i -> !i.get("seen").asBoolean()).count()));
        }
        JsonNode unreadCount = Http.get(stack.storeUrl() + "/v1/me/notifications/unread-count", stack.tokenFor(user)).json();
        expected.put("all", List.of(unreadCount.get("unread").asInt(), unreadCount.get("unseen").asInt()));
        assertThat(counts(user, FILTERS)).isEqualTo(expected);
    }

    private static boolean matches(String filter, JsonNode item) {
        String type = item.get("type").asString();
        if (filter.startsWith("tag:")) {
            return item.get("tags").valueStream().anyMatch(tag -> tag.asString().equals(filter.substring(4)));
        }
        String pattern = filter.substring(5);
        return pattern.endsWith(".*") ? type.startsWith(pattern.substring(0, pattern.length() - 1)) : type.equals(pattern);
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("eventId").asString()).toList();
    }
}
