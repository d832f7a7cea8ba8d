package dev.herald.it.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;

/**
 * Rerunnable measurements of the pipeline (not timed tests: they print numbers and assert only
 * that nothing was lost). Run with
 * {@code mvn -B verify -pl integration-tests -am -Dherald.measure=true -Dtest=PipelineMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "herald.measure", matches = "true")
class PipelineMeasurement {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void postLatencyOverSequentialRequests() {
        String url = stack.producerUrl() + "/v1/notifications";
        for (int i = 0; i < 200; i++) { // warm-up: JIT, connections, producer metadata
            Http.post(url, HeraldStack.API_KEY, body(HeraldStack.newUser("warm"), i));
        }
        int requests = 1_000;
        long[] micros = new long[requests];
        for (int i = 0; i < requests; i++) {
            long started = System.nanoTime();
            Http.Response response = Http.post(url, HeraldStack.API_KEY, body("lat-" + (i % 100), i));
            micros[i] = (System.nanoTime() - started) / 1_000;
            assertThat(response.status()).isEqualTo(202);
        }
        Arrays.sort(micros);
        System.out.printf("%nPOST /v1/notifications, %d sequential requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n%n",
                requests, micros[requests / 2] / 1000.0, micros[requests * 99 / 100] / 1000.0, micros[requests - 1] / 1000.0);
    }

    @Test
    void storePersistRateForTenThousandEventsInBatches() {
        int events = 10_000;
        int batchSize = 500;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            users.add(HeraldStack.newUser("rate"));
        }
        Map<Integer, Long> lastOffsets = new HashMap<>();
        Map<Integer, String> userOfPartition = new HashMap<>();
        long started = System.nanoTime();
        for (int sent = 0; sent < events; sent += batchSize) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = sent; i < sent + batchSize; i++) {
                items.add(body(users.get(i % users.size()), i));
            }
            Http.Response response = Http.post(stack.producerUrl() + "/v1/notifications/batch", HeraldStack.API_KEY,
                    Map.of("notifications", items));
            assertThat(response.status()).as(response.toString()).isEqualTo(202);
            response.json().get("notifications").forEach(n -> {
                Cursor cursor = Cursor.parse(n.get("cursor").asString());
                lastOffsets.merge(cursor.partition(), cursor.offset(), Math::max);
                userOfPartition.putIfAbsent(cursor.partition(), n.get("userId").asString());
            });
        }
        long acceptedNanos = System.nanoTime() - started;
        // The store has applied everything once each partition's position passed its last offset.
        lastOffsets.forEach((partition, offset) -> await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> Cursor.parse(stack.inbox(userOfPartition.get(partition), "?limit=1").get("cursor").asString()).offset() >= offset));
        long appliedNanos = System.nanoTime() - started;

        System.out.printf("%n%d events in batches of %d to %d users: accepted in %.2f s (%.0f events/s), "
                + "persisted in %.2f s (%.0f events/s end to end)%n%n",
                events, batchSize, users.size(), acceptedNanos / 1e9, events / (acceptedNanos / 1e9),
                appliedNanos / 1e9, events / (appliedNanos / 1e9));
        assertThat(stack.inbox(users.get(0), "?limit=200").get("items")).hasSize(events / users.size());
    }

    private static Map<String, Object> body(String user, int i) {
        return Map.of("userId", user, "type", "bench.event", "title", "Event " + i, "body", "Measured event number " + i);
    }
}
