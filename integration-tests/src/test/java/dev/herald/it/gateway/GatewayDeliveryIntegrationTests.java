package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;
import dev.herald.schema.UserPartitioner;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/** Live delivery, routing and resume through two gateways that share the partitions. */
class GatewayDeliveryIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @BeforeAll
    static void gateways() {
        Gateways.shared();
    }

    private WsClient openAtOwner(String user, String since) {
        WsClient client = WsClient.open(Gateways.ownerOf(user).wsUrl(), stack.tokenFor(user), since);
        client.awaitFrame(ServerFrame.Welcome.class);
        return client;
    }

    @Test
    void everySessionOfTheUserGetsTheNotificationWithItsCursorAndOtherUsersGetNothing() {
        String alice = HeraldStack.newUser("alice");
        String bob = HeraldStack.newUser("bob");
        WsClient aliceTab1 = openAtOwner(alice, null);
        WsClient aliceTab2 = openAtOwner(alice, null);
        WsClient bobTab = openAtOwner(bob, null);

        ServerFrame.Welcome welcome = aliceTab1.awaitFrame(ServerFrame.Welcome.class);
        assertThat(welcome.partition()).isEqualTo(UserPartitioner.partitionOf(alice, Gateways.PARTITIONS));
        Notifications.Accepted sent = Notifications.post(alice, "Hello Alice");

        for (WsClient tab : List.of(aliceTab1, aliceTab2)) {
            ServerFrame.Notification got = tab.awaitNotifications(1).get(0);
            assertThat(got.cursor()).isEqualTo(sent.cursor());
            assertThat(got.event().eventId()).isEqualTo(sent.eventId());
            assertThat(got.event().userId()).isEqualTo(alice);
            assertThat(got.event().title()).isEqualTo("Hello Alice");
            assertThat(got.event().source()).isEqualTo("it");
        }
        // Bob's own event arrives after Alice's was fanned out; he must see it and nothing else.
        Notifications.Accepted bobs = Notifications.post(bob, "Hello Bob");
        bobTab.awaitNotifications(1);
        assertThat(bobTab.notifications()).extracting(n -> n.event().eventId()).containsExactly(bobs.eventId());
        assertThat(aliceTab1.notifications()).hasSize(1);
        List.of(aliceTab1, aliceTab2, bobTab).forEach(WsClient::close);
    }

    @Test
    void markingReadReachesEveryOpenTabAsAReadFrame() {
        String carol = HeraldStack.newUser("carol");
        WsClient tab = openAtOwner(carol, null);
        Notifications.Accepted sent = Notifications.post(carol, "Read me");
        tab.awaitNotifications(1);
        // The gateway may be quicker than the store: mark read once the inbox has it.
        await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(stack.storeUrl() + "/v1/me/notifications",
                stack.tokenFor(carol)).json().get("items").size() == 1);

        Http.Response read = Http.post(stack.storeUrl() + "/v1/me/notifications/" + sent.eventId() + "/read",
                stack.tokenFor(carol), null);
        assertThat(read.status()).as(read.toString()).isIn(200, 202);

        ServerFrame.Read frame = tab.awaitFrame(ServerFrame.Read.class);
        assertThat(frame.eventIds()).containsExactly(sent.eventId());
        assertThat(frame.all()).isFalse();
        assertThat(frame.cursor().isAfter(sent.cursor())).isTrue();
        tab.close();
    }

    @Test
    void routeFromEveryGatewayNamesTheOwnerKafkaAssignedAndTheWrongGatewaySaysMoved() {
        for (int i = 0; i < 6; i++) {
            String user = HeraldStack.newUser("route");
            int partition = UserPartitioner.partitionOf(user, Gateways.PARTITIONS);
            TestGateway owner = Gateways.ownerOf(user);
            for (TestGateway gateway : Gateways.running()) {
                Http.Response route = Gateways.route(gateway, user);
                assertThat(route.status()).as(route.toString()).isEqualTo(200);
                assertThat(route.json().get("url").asString()).isEqualTo(owner.wsUrl());
                assertThat(route.json().get("partition").asInt()).isEqualTo(partition);
            }

            WsClient wrong = WsClient.open(Gateways.notOwnerOf(user).wsUrl(), stack.tokenFor(user), null);
            WsClient.Closed closed = wrong.awaitClose();
            assertThat(closed.code()).isEqualTo(CloseCodes.MOVED);
            assertThat(closed.reason()).isEqualTo(owner.wsUrl());
        }
    }

    @Test
    void gatewayIsReadyAndExposesTheMetricsTheDashboardsUse() {
        String user = HeraldStack.newUser("metrics");
        TestGateway owner = Gateways.ownerOf(user);
        WsClient tab = openAtOwner(user, null);
        Notifications.post(user, "Counted");
        tab.awaitNotifications(1);

        assertThat(Http.get(owner.baseUrl() + "/actuator/health/readiness", null).status()).isEqualTo(200);
        String scrape = Http.get(owner.baseUrl() + "/actuator/prometheus", null).raw().body();
        assertThat(scrape).contains("herald_gateway_sessions_open", "herald_gateway_sessions_opened_total",
                "herald_gateway_frames_delivered_total{", "herald_gateway_delivery_latency_seconds_bucket",
                "herald_gateway_partitions_owned", "herald_gateway_resumes_total{",
                "kafka_consumer_fetch_manager_records_lag_max");
        tab.close();
    }

    @Test
    void idleSessionIsPingedAndAnswersKeepItOpen() {
        String user = HeraldStack.newUser("idle");
        WsClient tab = openAtOwner(user, null);

        // The test gateways ping every 5 s; the JDK client answers protocol pings by itself.
        tab.awaitFrame(ServerFrame.Ping.class);
        tab.send(Frames.encode(new ClientFrame.Pong()));
        Notifications.Accepted sent = Notifications.post(user, "After a ping");

        assertThat(tab.awaitNotifications(1).get(0).event().eventId()).isEqualTo(sent.eventId());
        assertThat(tab.isClosed()).isFalse();
        tab.close();
    }

    @Test
    void routeNeedsAUserToken() {
        Http.Response route = Http.get(Gateways.running().get(0).baseUrl() + "/v1/route", "not-a-token");

        assertThat(route.status()).isEqualTo(401);
    }

    @Test
    void reconnectWithTheLastCursorGetsExactlyTheMissedEventsInOrderThenLive() {
        String dave = HeraldStack.newUser("dave");
        WsClient first = openAtOwner(dave, null);
        Notifications.post(dave, "Before");
        Cursor last = first.awaitNotifications(1).get(0).cursor();
        first.close();

        List<Notifications.Accepted> missed = Notifications.postMany(dave, 50, "while away");
        WsClient again = openAtOwner(dave, last.toString());
        List<ServerFrame.Notification> replayed = again.awaitNotifications(50);

        assertThat(replayed).extracting(n -> n.event().eventId())
                .containsExactlyElementsOf(missed.stream().map(Notifications.Accepted::eventId).toList());
        assertThat(replayed).extracting(ServerFrame.Notification::cursor)
                .containsExactlyElementsOf(missed.stream().map(Notifications.Accepted::cursor).toList());
        ServerFrame.Welcome welcome = again.awaitFrame(ServerFrame.Welcome.class);
        assertThat(again.frames().get(0)).isEqualTo(welcome);
        // The welcome covers the replay: what the gateway had read of the partition by then, all 50
        // unless it was still reading them (then the rest follow live, in order, as asserted above).
        int replay = welcome.replay();
        assertThat(replay).isBetween(0, 50);
        assertThat(welcome.cursor().compareTo(replay == 0 ? last : missed.get(replay - 1).cursor())).isGreaterThanOrEqualTo(0);
        if (replay < 50) {
            assertThat(welcome.cursor().compareTo(missed.get(replay).cursor())).isLessThan(0);
        }

        Notifications.Accepted live = Notifications.post(dave, "After");
        List<ServerFrame.Notification> all = again.awaitNotifications(51);
        assertThat(all.get(50).event().eventId()).isEqualTo(live.eventId());
        assertThat(all).extracting(n -> n.event().eventId()).doesNotHaveDuplicates().hasSize(51);
        again.close();
    }

    @Test
    void cursorFromAResponseTheGatewayHasNotReadYetDeliversOnlyLaterEvents() {
        String erin = HeraldStack.newUser("erin");
        Notifications.Accepted seen = Notifications.post(erin, "Seen via REST");
        WsClient tab = openAtOwner(erin, seen.cursor().toString());
        Notifications.Accepted next = Notifications.post(erin, "Next");

        tab.awaitNotifications(1);
        assertThat(tab.notifications()).extracting(n -> n.event().eventId()).containsExactly(next.eventId());
        tab.close();
    }

    @Test
    void cursorOlderThanTheHistoryGetsTheGapToFillWhileTheSessionGoesOnLive() {
        String frank = HeraldStack.newUser("frank");
        List<Notifications.Accepted> sent = Notifications.postMany(frank, 1010, "");
        Cursor tooOld = sent.get(0).cursor();
        // Once the owner has delivered the last one, the first has fallen out of its history.
        WsClient live = openAtOwner(frank, sent.get(1008).cursor().toString());
        assertThat(live.awaitNotifications(1).get(0).event().eventId()).isEqualTo(sent.get(1009).eventId());
        live.close();

        WsClient tab = WsClient.open(Gateways.ownerOf(frank).wsUrl(), stack.tokenFor(frank), tooOld.toString());
        ServerFrame.Resync resync = tab.awaitFrame(ServerFrame.Resync.class);
        ServerFrame.Welcome welcome = tab.awaitFrame(ServerFrame.Welcome.class);
        tab.awaitNotifications(welcome.replay());
        Notifications.Accepted next = Notifications.post(frank, "after the gap");
        tab.awaitNotifications(welcome.replay() + 1);

        assertThat(resync.since()).isEqualTo(tooOld.toString());
        assertThat(resync.partition()).isEqualTo(tooOld.partition());
        assertThat(resync.from().offset()).isEqualTo(tooOld.offset());
        // The gap and the replay meet: the replay starts right after the gap's end, and is the rest.
        List<ServerFrame.Notification> got = tab.notifications();
        assertThat(got.get(0).cursor().offset()).isGreaterThan(resync.to().offset());
        int firstReplayed = sent.stream().map(n -> n.eventId()).toList().indexOf(got.get(0).event().eventId());
        assertThat(got).extracting(n -> n.event().eventId()).containsExactlyElementsOf(
                Stream.concat(sent.subList(firstReplayed, sent.size()).stream(), Stream.of(next))
                        .map(Notifications.Accepted::eventId).toList());
        assertThat(tab.isClosed()).as("the session stays open after a resync").isFalse();
        tab.close();
    }

    @Test
    void cursorAheadOfTheLogGetsResyncInsteadOfMutingTheSession() {
        String ivan = HeraldStack.newUser("ivan");
        int partition = UserPartitioner.partitionOf(ivan, Gateways.PARTITIONS);
        Cursor forged = new Cursor(partition, 50_000_000);

        WsClient tab = WsClient.open(Gateways.ownerOf(ivan).wsUrl(), stack.tokenFor(ivan), forged.toString());
        ServerFrame.Resync resync = tab.awaitFrame(ServerFrame.Resync.class);
        tab.awaitFrame(ServerFrame.Welcome.class);
        Notifications.Accepted next = Notifications.post(ivan, "not muted");

        assertThat(resync.from()).as("nothing the client holds can be trusted").isNull();
        assertThat(resync.to().offset()).isLessThan(forged.offset());
        assertThat(tab.awaitNotifications(1)).extracting(n -> n.event().eventId()).containsExactly(next.eventId());
        tab.close();
    }

    @Test
    void cursorOfAnotherPartitionOrTopicEpochGetsResyncAndTheSessionGoesOn() {
        String grace = HeraldStack.newUser("grace");
        int partition = UserPartitioner.partitionOf(grace, Gateways.PARTITIONS);
        Cursor foreign = new Cursor((partition + 1) % Gateways.PARTITIONS, 0);
        Cursor ofAnotherTopic = new Cursor(partition, 0, "recreatd");

        for (Cursor since : List.of(foreign, ofAnotherTopic)) {
            WsClient tab = WsClient.open(Gateways.ownerOf(grace).wsUrl(), stack.tokenFor(grace), since.toString());
            ServerFrame.Resync resync = tab.awaitFrame(ServerFrame.Resync.class);
            ServerFrame.Welcome welcome = tab.awaitFrame(ServerFrame.Welcome.class);
            Notifications.Accepted next = Notifications.post(grace, "after resync from " + since);

            assertThat(resync.partition()).isEqualTo(partition);
            assertThat(resync.from()).isNull();
            assertThat(welcome.cursor().epoch()).as("the gateway's cursors carry the topic's epoch").isNotNull();
            assertThat(tab.awaitNotifications(1)).extracting(n -> n.event().eventId()).containsExactly(next.eventId());
            tab.close();
        }
    }

    @Test
    void userWithTooManySessionsIsRefusedWith4029() {
        String heidi = HeraldStack.newUser("heidi");
        List<WsClient> tabs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tabs.add(openAtOwner(heidi, null));
        }

        WsClient oneTooMany = WsClient.open(Gateways.ownerOf(heidi).wsUrl(), stack.tokenFor(heidi), null);

        assertThat(oneTooMany.awaitClose().code()).isEqualTo(CloseCodes.TOO_MANY_CONNECTIONS);
        tabs.forEach(WsClient::close);
    }
}
