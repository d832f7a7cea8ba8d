package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.ServerFrame;

/** A client that stops reading is cut off with 4008; the others, even on its partition, keep their pace. */
class GatewaySlowConsumerIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void clientThatNeverReadsIsClosedWith4008AndOthersOnItsPartitionStayFast() {
        Gateways.shared();
        String slowUser = Gateways.userOnPartition("slow", 3);
        String fastUser = Gateways.userOnPartition("fast", 3);
        TestGateway owner = Gateways.ownerOf(slowUser);
        WsClient slow = WsClient.open(owner.wsUrl(), stack.tokenFor(slowUser), null);
        slow.awaitFrame(ServerFrame.Welcome.class);
        slow.pauseReading();
        WsClient fast = WsClient.open(owner.wsUrl(), stack.tokenFor(fastUser), null);
        fast.awaitFrame(ServerFrame.Welcome.class);
        String readerUser = Gateways.userOnPartition("reader", 3);
        WsClient reader = WsClient.open(owner.wsUrl(), stack.tokenFor(readerUser), null);
        reader.awaitFrame(ServerFrame.Welcome.class);
        double closedBefore = tooSlowCloses(owner);

        // Each round sends the same ~200 KB to the slow user and to a reader who keeps up, then times
        // one small event to a third user, until the slow user's socket and outbound queue (256 KB
        // in these tests) have filled up and the gateway has cut it off.
        String body = "x".repeat(4_000);
        List<Long> latenciesMicros = new ArrayList<>();
        int rounds = 0;
        while (tooSlowCloses(owner) == closedBefore && rounds < 200) {
            Notifications.postMany(slowUser, 50, body);
            Notifications.postMany(readerUser, 50, body);
            latenciesMicros.add(timeOneEvent(fast, fastUser, rounds));
            rounds++;
        }
        slow.resumeReading();

        assertThat(tooSlowCloses(owner)).as("4008 closes").isGreaterThan(closedBefore);
        WsClient.Closed closed = slow.awaitClose();
        assertThat(closed.code()).as(closed.reason()).isEqualTo(CloseCodes.TOO_SLOW);
        for (int i = 0; i < 10; i++) {
            latenciesMicros.add(timeOneEvent(fast, fastUser, rounds + i));
        }
        Collections.sort(latenciesMicros);
        long p50 = latenciesMicros.get(latenciesMicros.size() / 2) / 1000;
        long max = latenciesMicros.get(latenciesMicros.size() - 1) / 1000;
        System.out.printf("SLOW CONSUMER: cut off after %d rounds (~%d KB sent to it); other user on the same partition: "
                + "POST->frame p50 %d ms, max %d ms over %d events%n", rounds, rounds * 50 * 4, p50, max,
                latenciesMicros.size());
        assertThat(fast.isClosed()).isFalse();
        assertThat(reader.isClosed()).as("a client that reads the same bursts").isFalse();
        assertThat(reader.awaitNotifications(rounds * 50)).hasSize(rounds * 50);
        reader.close();
        assertThat(p50).as("p50 latency of the other user, ms").isLessThan(500);
        fast.close();
    }

    private static long timeOneEvent(WsClient client, String user, int round) {
        int before = client.notifications().size();
        long start = System.nanoTime();
        Notifications.Accepted sent = Notifications.post(user, "Tick " + round);
        ServerFrame.Notification got = client.awaitNotifications(before + 1).get(before);
        assertThat(got.event().eventId()).isEqualTo(sent.eventId());
        long arrived = client.received().stream().filter(r -> r.frame() == got).findFirst().orElseThrow().atNanos();
        return (arrived - start) / 1000;
    }

    private static double tooSlowCloses(TestGateway gateway) {
        Counter counter = gateway.bean(MeterRegistry.class).find("herald.gateway.slow.consumer.closes").counter();
        return counter == null ? 0 : counter.count();
    }
}
