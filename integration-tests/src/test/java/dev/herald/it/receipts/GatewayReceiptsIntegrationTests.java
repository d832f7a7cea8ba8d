package dev.herald.it.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.Notifications;
import dev.herald.it.gateway.TestGateway;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Kafka;
import dev.herald.it.support.TestKafka;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;
import dev.herald.schema.Topics;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.ServerFrame;

/**
 * Receipts end to end: the shared gateways (receipts on, see TestGateway) report what they wrote
 * to a user's sessions and what the page said it showed, and the tracker ({@link ReceiptTracker})
 * alerts only about what they did not report.
 */
class GatewayReceiptsIntegrationTests {

    private static HeraldStack stack;
    private static ReceiptTracker tracker;

    @BeforeAll
    static void start() {
        stack = HeraldStack.get();
        Gateways.shared();
        tracker = ReceiptTracker.get();
    }

    @Test
    void aConnectedUsersNotificationIsDeliveredOnceForAllTabsAndNotAlertedAsNotDelivered() {
        String user = HeraldStack.newUser("connected");
        TestGateway gateway = Gateways.ownerOf(user);
        WsClient tab1 = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), null);
        WsClient tab2 = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), null);
        tab1.awaitFrame(ServerFrame.Welcome.class);
        tab2.awaitFrame(ServerFrame.Welcome.class);

        String eventId = Notifications.post(user, "Hello both tabs").eventId();
        tab1.awaitNotifications(1);
        tab2.awaitNotifications(1);

        List<Receipt> receipts = receiptsOf(user, 1);
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).kind()).isEqualTo(Receipt.Kind.DELIVERED);
        assertThat(receipts.get(0).eventId()).isEqualTo(eventId);
        assertThat(receipts.get(0).sessions()).isEqualTo(2);
        assertThat(receipts.get(0).gateway()).isEqualTo(gateway.wsUrl());
        // Delivered but never shown: unseen only.
        await().atMost(Duration.ofSeconds(15)).until(() -> !tracker.webhook().requestsFor(user).isEmpty());
        assertThat(tracker.webhook().requestsFor(user)).extracting(r -> r.alert().get("kind").asString()).containsExactly("unseen");
        tab1.close();
        tab2.close();
    }

    @Test
    void aSeenFrameBecomesASeenReceiptAndNoAlertFollows() {
        String user = HeraldStack.newUser("shown");
        TestGateway gateway = Gateways.ownerOf(user);
        WsClient tab = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), null);
        tab.awaitFrame(ServerFrame.Welcome.class);
        String eventId = Notifications.post(user, "Shown").eventId();
        tab.awaitNotifications(1);

        tab.send("{\"type\":\"seen\",\"eventIds\":[\"" + eventId + "\",\"not-" + eventId + "\"]}");

        List<Receipt> receipts = receiptsOf(user, 3);
        assertThat(receipts).extracting(r -> r.kind() + " " + r.eventId()).containsExactlyInAnyOrder(
                "DELIVERED " + eventId, "SEEN " + eventId, "SEEN not-" + eventId);
        String control = HeraldStack.newUser("unshown");
        Notifications.post(control, "Not shown");
        await().atMost(Duration.ofSeconds(20)).until(() -> tracker.webhook().requestsFor(control).size() == 2);
        assertThat(tracker.webhook().requestsFor(user)).isEmpty();
        assertThat(tab.isClosed()).as("a seen frame is no reason to close").isFalse();
        tab.close();
    }

    @Test
    void aResumedTabsReplayIsReportedDelivered() {
        String user = HeraldStack.newUser("resumed");
        TestGateway gateway = Gateways.ownerOf(user);
        WsClient first = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), null);
        ServerFrame.Welcome welcome = first.awaitFrame(ServerFrame.Welcome.class);
        first.close();

        String eventId = Notifications.post(user, "While away").eventId();
        WsClient back = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), welcome.cursor().toString());
        assertThat(back.awaitNotifications(1).get(0).event().eventId()).isEqualTo(eventId);

        assertThat(receiptsOf(user, 1)).extracting(Receipt::eventId).containsExactly(eventId);
        back.close();
    }

    @Test
    void badSeenFramesCloseTheSessionAsInvalidPayload() {
        String user = HeraldStack.newUser("bad-seen");
        TestGateway gateway = Gateways.ownerOf(user);
        String tooMany = IntStream.range(0, 101).mapToObj(i -> "\"e-" + i + "\"").collect(Collectors.joining(","));
        for (String frame : List.of("{\"type\":\"seen\",\"eventIds\":[" + tooMany + "]}", "{\"type\":\"seen\",\"eventIds\":[1,2]}",
                "{\"type\":\"seen\"}")) {
            WsClient tab = WsClient.open(gateway.wsUrl(), stack.tokenFor(user), null);
            tab.awaitFrame(ServerFrame.Welcome.class);

            tab.send(frame);

            WsClient.Closed closed = tab.awaitClose();
            assertThat(closed.code()).as(frame).isEqualTo(CloseCodes.INVALID_PAYLOAD);
            assertThat(closed.reason()).contains("eventIds");
        }
    }

    @Test
    void receiptMetersAreRegisteredFromTheStart() {
        MeterRegistry meters = Gateways.shared().get(0).bean(MeterRegistry.class);

        assertThat(meters.find("herald.gateway.receipts.emitted").tag("kind", "delivered").counter()).isNotNull();
        assertThat(meters.find("herald.gateway.receipts.emitted").tag("kind", "seen").counter()).isNotNull();
        assertThat(meters.find("herald.gateway.receipts.dropped").counter()).isNotNull();
    }

    /** The user's receipts on herald.receipts, once there are at least {@code atLeast}. */
    private static List<Receipt> receiptsOf(String user, int atLeast) {
        return Kafka.awaitRecords(TestKafka.bootstrapServers(), Topics.RECEIPTS, record -> record.key().equals(user), atLeast)
                .stream().map(record -> ReceiptCodec.decode(record.value())).toList();
    }
}
