package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.herald.it.support.HeraldStack;
import dev.herald.schema.frames.ServerFrame;

/**
 * A measurement, not a test: POST -> notification frame latency over 1,000 events, one at a time,
 * to a user connected to its owning gateway. Run with
 * {@code mvn -B verify -pl integration-tests -Dtest=GatewayLatencyMeasurementIntegrationTests -Dherald.measure=true}.
 */
@EnabledIfSystemProperty(named = "herald.measure", matches = "true")
class GatewayLatencyMeasurementIntegrationTests {

    private static final int EVENTS = 1_000;
    private static final int WARM_UP = 100;

    @Test
    void postToFrameLatency() {
        Gateways.shared();
        String user = HeraldStack.newUser("measure");
        BlockingQueue<WsClient.Received> arrivals = new LinkedBlockingQueue<>();
        WsClient client = WsClient.connectAsync(Gateways.ownerOf(user).wsUrl(), received -> {
            if (received.frame() instanceof ServerFrame.Notification) {
                arrivals.add(received);
            }
        }, (c, closed) -> { }).join();
        client.auth(HeraldStack.get().tokenFor(user), null);
        client.awaitFrame(ServerFrame.Welcome.class);

        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < WARM_UP + EVENTS; i++) {
            long start = System.nanoTime();
            String eventId = Notifications.post(user, "Measure " + i).eventId();
            WsClient.Received arrived = next(arrivals);
            assertThat(((ServerFrame.Notification) arrived.frame()).event().eventId()).isEqualTo(eventId);
            if (i >= WARM_UP) {
                micros.add((arrived.atNanos() - start) / 1000);
            }
        }
        Collections.sort(micros);
        System.out.printf("LATENCY POST->frame over %d events: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                EVENTS, at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros.get(micros.size() - 1) / 1000.0);
        client.close();
    }

    private static WsClient.Received next(BlockingQueue<WsClient.Received> arrivals) {
        try {
            WsClient.Received received = arrivals.poll(10, TimeUnit.SECONDS);
            assertThat(received).as("a notification frame within 10 s").isNotNull();
            return received;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)) / 1000.0;
    }
}
