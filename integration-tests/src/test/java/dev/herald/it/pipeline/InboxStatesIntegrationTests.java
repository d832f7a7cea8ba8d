package dev.herald.it.pipeline;

import static dev.herald.it.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;
import dev.herald.schema.frames.ServerFrame;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Item states (issue 17): seen and archived, each a per-user event on the user's partition applied
 * in order with the notifications around it, answered with read-your-writes, and synced to every
 * open tab through the gateway; with a real Kafka broker and the real database.
 */
class InboxStatesIntegrationTests {

    private static final String CHANNEL = HeraldStack.INBOX_CHANNEL;

    private final HeraldStack stack = HeraldStack.get();
    private final JdbcTemplate db = stack.store().getBean(JdbcTemplate.class);

    /** Every user of every test has the inbox channel's messages: none may outlive the test that sent it. */
    @AfterEach
    void removeTheInboxChannelsMessages() {
        db.update("DELETE FROM channel_messages WHERE channel = ?", CHANNEL);
        for (String table : List.of("channel_reads", "channel_read_marks", "channel_seen", "channel_seen_marks",
                "channel_archives")) {
            db.update("DELETE FROM " + table + " WHERE channel = ?", CHANNEL);
        }
    }

    @Test
    void seeingLowersUnseenNotUnreadAndSeenAllSeesEverything() {
        String user = HeraldStack.newUser("seen");
        String n1 = stack.send(user, "one");
        String n2 = stack.send(user, "two");
        stack.send(user, "three");
        stack.awaitInbox(user, 3);
        assertThat(counts(user)).containsExactly(3, 3);

        Http.Response seen = post(user, n1 + "/seen");
        assertThat(seen.status()).as("read-your-writes: applied before the answer").isEqualTo(200);
        assertThat(seen.json().get("applied").asBoolean()).isTrue();
        assertThat(seen.json().get("unread").asInt()).isEqualTo(3);
        assertThat(seen.json().get("unseen").asInt()).isEqualTo(2);
        assertThat(counts(user)).containsExactly(3, 2);
        JsonNode item = itemOf(stack.inbox(user, ""), n1);
        assertThat(item.get("seen").asBoolean()).isTrue();
        assertThat(item.get("seenAt").isNull()).isFalse();
        assertThat(item.get("read").asBoolean()).isFalse();
        assertThat(ids(stack.inbox(user, "?status=unseen"))).hasSize(2).doesNotContain(n1);
        assertThat(ids(stack.inbox(user, "?status=seen"))).containsExactly(n1);

        Http.Response all = Http.post(stack.storeUrl() + "/v1/users/" + user + "/notifications/seen-all", HeraldStack.API_KEY, null);
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json().get("unseen").asInt()).isZero();
        assertThat(counts(user)).containsExactly(3, 0);
        assertThat(itemOf(stack.inbox(user, ""), n2).get("seen").asBoolean()).isTrue();
    }

    @Test
    void archivingHidesAnItemFromTheListAndTheCountsAndUnarchivingRestoresIt() {
        String user = HeraldStack.newUser("archive");
        String n1 = stack.send(user, "one");
        String n2 = stack.send(user, "two");
        stack.awaitInbox(user, 2);

        Http.Response archived = post(user, n1 + "/archive");
        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
        assertThat(archived.json().get("unread").asInt()).isEqualTo(1);
        assertThat(archived.json().get("unseen").asInt()).isEqualTo(1);
        assertThat(ids(stack.inbox(user, ""))).as("the default list").containsExactly(n2);
        assertThat(ids(stack.inbox(user, "?status=all"))).containsExactly(n2);
        assertThat(ids(stack.inbox(user, "?status=unread"))).containsExactly(n2);
        assertThat(ids(stack.inbox(user, "?status=read"))).isEmpty();
        JsonNode inArchive = stack.inbox(user, "?status=archived");
        assertThat(ids(inArchive)).containsExactly(n1);
        assertThat(inArchive.get("items").get(0).get("archived").asBoolean()).isTrue();
        assertThat(inArchive.get("items").get(0).get("archivedAt").isNull()).isFalse();
        assertThat(counts(user)).containsExactly(1, 1);

        Http.Response restored = Http.post(stack.storeUrl() + "/v1/users/" + user + "/notifications/" + n1 + "/unarchive",
                HeraldStack.API_KEY, null);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.json().get("unread").asInt()).isEqualTo(2);
        assertThat(ids(stack.inbox(user, ""))).containsExactly(n2, n1);
        assertThat(stack.inbox(user, "?status=archived").get("items")).isEmpty();
        assertThat(counts(user)).containsExactly(2, 2);
    }

    @Test
    void archiveAllReadArchivesOnlyTheReadAndArchiveAllAllTheRest() {
        String user = HeraldStack.newUser("archive-all");
        String n1 = stack.send(user, "one");
        String n2 = stack.send(user, "two");
        stack.awaitInbox(user, 2);
        assertThat(Http.post(stack.storeUrl() + "/v1/me/notifications/" + n1 + "/read", stack.tokenFor(user), null).status())
                .isEqualTo(200);

        Http.Response read = post(user, "archive-all");
        assertThat(read.status()).as("status=read is the default").isEqualTo(200);
        assertThat(ids(stack.inbox(user, "?status=archived"))).containsExactly(n1);
        assertThat(ids(stack.inbox(user, ""))).containsExactly(n2);
        assertThat(counts(user)).containsExactly(1, 1);

        Http.Response all = post(user, "archive-all?status=all");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(all.json().get("unread").asInt()).isZero();
        assertThat(stack.inbox(user, "").get("items")).isEmpty();
        assertThat(ids(stack.inbox(user, "?status=archived"))).containsExactlyInAnyOrder(n1, n2);
    }

    @Test
    void seenAllAndArchiveAllCoverOnlyWhatCameBeforeThemInTheStream() {
        String user = HeraldStack.newUser("order");
        Instant now = Instant.now();
        // Published back to back, so the store most likely takes them in one batch: the later
        // notifications must stay unseen and unarchived all the same.
        List<Cursor> positions = Kafka.produce(TestKafka.bootstrapServers(), Topics.USER_EVENTS, List.of(
                record(notification("n1-" + user, user, now)),
                record(notification("n2-" + user, user, now)),
                record(Envelope.read("r-" + user, user, List.of("n1-" + user), now, "it")),
                record(Envelope.seenAll("sa-" + user, user, now, "it")),
                record(notification("n3-" + user, user, now)),
                record(Envelope.archiveAll("aa-" + user, user, ArchiveScope.READ, now, "it")),
                record(notification("n4-" + user, user, now)),
                record(Envelope.read("r2-" + user, user, List.of("n4-" + user), now, "it"))));

        JsonNode page = stack.awaitApplied(user, positions.get(positions.size() - 1));

        assertThat(page.get("items")).extracting(n -> n.get("eventId").asString() + ":" + n.get("seen").asBoolean())
                .as("n1 archived (read before archive-all); n4 read after it stays")
                .containsExactly("n4-" + user + ":false", "n3-" + user + ":false", "n2-" + user + ":true");
        assertThat(ids(stack.inbox(user, "?status=archived"))).containsExactly("n1-" + user);
        assertThat(counts(user)).as("unread n2, n3; unseen n3, n4").containsExactly(2, 2);
    }

    @Test
    void inboxChannelMessagesTakeSeenAndArchivedPerUser() {
        String user = HeraldStack.newUser("channel-states");
        String other = HeraldStack.newUser("channel-other");
        String own = stack.send(user, "own");
        stack.awaitInbox(user, 1);
        String alert = publishAlert("Maintenance");
        String alert2 = publishAlert("Maintenance again");
        assertThat(counts(user)).containsExactly(3, 3);

        Http.Response seen = post(user, alert + "/seen?channel=" + CHANNEL);
        assertThat(seen.status()).as(seen.toString()).isEqualTo(200);
        assertThat(seen.json().get("unseen").asInt()).isEqualTo(2);
        assertThat(itemOf(stack.inbox(user, ""), alert).get("seen").asBoolean()).isTrue();

        Http.Response archived = post(user, alert2 + "/archive?channel=" + CHANNEL);
        assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
        assertThat(archived.json().get("unread").asInt()).isEqualTo(2);
        assertThat(archived.json().get("unseen").asInt()).isEqualTo(1);
        assertThat(ids(stack.inbox(user, ""))).containsExactlyInAnyOrder(own, alert);
        JsonNode inArchive = stack.inbox(user, "?status=archived");
        assertThat(ids(inArchive)).containsExactly(alert2);
        assertThat(inArchive.get("items").get(0).get("channel").asString()).isEqualTo(CHANNEL);
        assertThat(counts(other)).as("another user's state is theirs").containsExactly(2, 2);

        assertThat(post(user, "seen-all").json().get("unseen").asInt()).isZero();
        assertThat(post(user, alert2 + "/unarchive?channel=" + CHANNEL).json().get("unread").asInt()).isEqualTo(3);
        assertThat(counts(user)).as("alert2 is back, unread and (by seen-all) seen").containsExactly(3, 0);

        String later = publishAlert("After seen-all");
        assertThat(counts(user)).as("seen-all covers what the store held, not what came after").containsExactly(4, 1);
        assertThat(ids(stack.inbox(user, "?status=unseen"))).containsExactly(later);

        assertThat(Http.post(stack.storeUrl() + "/v1/me/notifications/read-all", stack.tokenFor(user), null).status()).isEqualTo(200);
        post(user, alert + "/archive?channel=" + CHANNEL);
        assertThat(post(user, "archive-all?status=read").json().get("unread").asInt()).isZero();
        assertThat(stack.inbox(user, "").get("items")).as("everything was read, so archive-all read took it all").isEmpty();
        assertThat(ids(stack.inbox(user, "?status=archived"))).containsExactlyInAnyOrder(own, alert, alert2, later);
        assertThat(counts(other)).containsExactly(3, 3);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndAnUnknownItemIsNotFound() {
        String user = HeraldStack.newUser("bad-states");
        String n1 = stack.send(user, "one");
        stack.awaitInbox(user, 1);
        String token = stack.tokenFor(user);
        String me = stack.storeUrl() + "/v1/me/notifications";

        assertProblem(Http.get(me + "?status=hidden", token), 400, "status");
        assertProblem(Http.post(me + "/archive-all?status=unread", token, null), 400, "status");
        for (String action : List.of("seen", "archive", "unarchive")) {
            assertProblem(Http.post(me + "/-bad/" + action, token, null), 400, "eventId");
            assertProblem(Http.post(me + "/" + n1 + "/" + action + "?channel=Not-A-Channel", token, null), 400, "channel");
            assertProblem(Http.post(me + "/" + n1 + "/" + action + "?channel=elsewhere", token, null), 400, "channel");
            assertProblem(Http.post(me + "/no-such-item/" + action, token, null), 404);
            assertProblem(Http.post(me + "/" + n1 + "/" + action + "?channel=" + CHANNEL, token, null), 404);
        }
        String someoneElses = stack.send(HeraldStack.newUser("other"), "not yours");
        assertProblem(Http.post(me + "/" + someoneElses + "/archive", token, null), 404);
        assertProblem(Http.post(stack.storeUrl() + "/v1/users/" + user + "/notifications/" + n1 + "/archive",
                HeraldStack.SEND_ONLY_API_KEY, null), 403);
        assertThat(counts(user)).as("nothing was half-applied").containsExactly(1, 1);
    }

    @Test
    void everyOpenTabOfTheUserLearnsEachStateChangeLiveInOrder() {
        Gateways.shared();
        String user = HeraldStack.newUser("tabs");
        WsClient tab1 = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), null);
        WsClient tab2 = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), null);
        tab1.awaitFrame(ServerFrame.Welcome.class);
        tab2.awaitFrame(ServerFrame.Welcome.class);
        String n1 = stack.send(user, "one");
        stack.awaitInbox(user, 1);

        post(user, n1 + "/seen");
        post(user, n1 + "/archive");
        post(user, n1 + "/unarchive");
        post(user, "archive-all");

        for (WsClient tab : List.of(tab1, tab2)) {
            List<ServerFrame.State> states = await().atMost(Duration.ofSeconds(20)).until(
                    () -> tab.frames().stream().filter(ServerFrame.State.class::isInstance).map(ServerFrame.State.class::cast).toList(),
                    frames -> frames.size() == 4);
            assertThat(states).extracting(ServerFrame.State::state).containsExactly("seen", "archived", "unarchived", "archived");
            assertThat(states.get(0).eventIds()).containsExactly(n1);
            assertThat(states.get(3).all()).isTrue();
            assertThat(states.get(3).scope()).isEqualTo("read");
            assertThat(states).extracting(ServerFrame.State::cursor).isSorted();
            assertThat(tab.frames()).as("no state change is misread as a read").noneMatch(ServerFrame.Read.class::isInstance);
        }
        List.of(tab1, tab2).forEach(WsClient::close);
    }

    // --- helpers ---

    private Http.Response post(String user, String path) {
        return Http.post(stack.storeUrl() + "/v1/me/notifications/" + path, stack.tokenFor(user), null);
    }

    /** The user's unread and unseen counts, as {@code unread-count} gives them. */
    private List<Integer> counts(String user) {
        JsonNode count = Http.get(stack.storeUrl() + "/v1/me/notifications/unread-count", stack.tokenFor(user)).json();
        return List.of(count.get("unread").asInt(), count.get("unseen").asInt());
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

    private static Envelope notification(String eventId, String user, Instant at) {
        return Envelope.notification(eventId, user, "chat.message", eventId, "", null, at, at, "it");
    }

    private static Map.Entry<String, byte[]> record(Envelope event) {
        return Map.entry(event.userId(), EnvelopeCodec.encode(event));
    }

    private static List<String> ids(JsonNode page) {
        return page.get("items").valueStream().map(item -> item.get("eventId").asString()).toList();
    }

    private static JsonNode itemOf(JsonNode page, String eventId) {
        return page.get("items").valueStream().filter(item -> item.get("eventId").asString().equals(eventId)).findFirst()
                .orElseThrow(() -> new AssertionError(eventId + " is not in " + page));
    }
}
