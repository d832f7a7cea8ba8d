package dev.herald.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends notifications to producer-api on an open-loop schedule: request k is due at
 * {@code start + k / requestRate}, whether or not earlier ones were answered, with at most
 * {@code concurrency} requests in flight (keep-alive connections). Each event carries its due time,
 * not the time it actually left: when producer-api cannot keep up, the wait for a free slot counts
 * in the end-to-end latency (no coordinated omission).
 *
 * <p>Event {@code e} goes to user {@code e mod users}; the sender alone numbers each user's events.
 */
final class Sender {

    private final HttpClient http;
    private final URI single;
    private final URI batch;
    private final String apiKey;
    private final int concurrency;
    private final int[] nextSeq;
    final AtomicIntegerArray accepted;
    final LongAdder acceptedEvents = new LongAdder();
    final LongAdder rejectedEvents = new LongAdder();
    final Map<String, Integer> rejections = new ConcurrentHashMap<>();
    private final String[] userIds;

    Sender(HttpClient http, BenchOptions options, String[] userIds) {
        this.http = http;
        URI producer = Loopback.toLoopback(options.producerUrl());
        this.single = producer.resolve("/v1/notifications");
        this.batch = producer.resolve("/v1/notifications/batch");
        this.apiKey = options.apiKey();
        this.concurrency = options.concurrency();
        this.userIds = userIds;
        this.nextSeq = new int[userIds.length];
        this.accepted = new AtomicIntegerArray(userIds.length);
    }

    /** The outcome of one sending phase. */
    record Phase(long events, long requests, double elapsedSeconds, Histogram responseMicros, long late) {
    }

    /**
     * Sends {@code rate} events/s for {@code duration} in requests of {@code batchSize} events
     * ({@code 1}: single POSTs), starting with event {@code firstEvent}; returns once every request
     * was answered or timed out (at most 15 s after the phase).
     */
    Phase run(double rate, Duration duration, int batchSize, long firstEvent) throws InterruptedException {
        double requestRate = rate / batchSize;
        long requests = Math.max(1, Math.round(requestRate * duration.toNanos() / 1e9));
        Semaphore slots = new Semaphore(concurrency);
        Histogram responseMicros = new ConcurrentHistogram(Deliveries.HIGHEST_MICROS, 3);
        long start = Payload.now();
        long stopBy = start + duration.toNanos() + TimeUnit.SECONDS.toNanos(5);
        long event = firstEvent;
        long sent = 0;
        long late = 0;
        for (long k = 0; k < requests; k++) {
            long due = start + Math.round(k * 1e9 / requestRate);
            long wait = due - Payload.now();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!slots.tryAcquire()) {
                late++;
                long left = stopBy - Payload.now();
                if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break; // producer-api stopped answering: end the phase, bounded in time
                }
            }
            StringBuilder body = new StringBuilder(batchSize == 1 ? 160 : 24 + 150 * batchSize);
            int[] users = new int[batchSize];
            if (batchSize > 1) {
                body.append("{\"notifications\":[");
            }
            for (int i = 0; i < batchSize; i++, event++) {
                int user = (int) (event % userIds.length);
                users[i] = user;
                if (i > 0) {
                    body.append(',');
                }
                body.append(Payload.notification(userIds[user], nextSeq[user]++, due));
            }
            if (batchSize > 1) {
                body.append("]}");
            }
            HttpRequest request = HttpRequest.newBuilder(batchSize == 1 ? single : batch)
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            long leftAt = Payload.now();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                responseMicros.recordValue(Math.min(Deliveries.HIGHEST_MICROS, (Payload.now() - leftAt) / 1_000));
                if (error == null && response.statusCode() == 202) {
                    for (int user : users) {
                        accepted.incrementAndGet(user);
                    }
                    acceptedEvents.add(users.length);
                }
                else {
                    rejectedEvents.add(users.length);
                    String why = error != null ? error.getClass().getSimpleName()
                            : response.statusCode() + " " + abbreviate(response.body());
                    rejections.merge(why, 1, Integer::sum);
                }
                slots.release();
            });
            sent++;
        }
        long endSend = Payload.now();
        // Wait for the answers still in flight (bounded by the request timeout).
        slots.tryAcquire(concurrency, 15, TimeUnit.SECONDS);
        slots.release(concurrency);
        return new Phase(event - firstEvent, sent, (endSend - start) / 1e9, responseMicros, late);
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 120 ? body.substring(0, 120) : body;
    }
}
