package dev.herald.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Sends notifications, or messages to one channel, to producer-api on an open-loop schedule: request k is due at
 * {@code start + k / requestRate}, whether or not earlier ones were answered, on a fixed pool of
 * {@code concurrency} keep-alive connections with one request in flight on each. Each event carries
 * its due time, not the time it actually left: when producer-api cannot keep up, the wait for a free
 * connection counts in the end-to-end latency (no coordinated omission).
 *
 * <p>Notification {@code e} goes to user {@code e mod users}; the sender alone numbers each user's
 * events. A channel sender has one target, the channel: its messages are numbered in one sequence,
 * and every session subscribed to the channel is to receive each one that was accepted.
 */
final class Sender implements AutoCloseable {

    private final ProducerConnections connections;
    private final byte[] singleHead;
    private final byte[] batchHead;
    private final int[] nextSeq;
    final AtomicIntegerArray accepted;
    final LongAdder acceptedEvents = new LongAdder();
    final LongAdder rejectedEvents = new LongAdder();
    final Map<String, Integer> rejections = new ConcurrentHashMap<>();
    /** The users notifications go to, or null for a channel sender. */
    private final String[] userIds;

    private Sender(Network network, BenchOptions options, String singlePath, String batchPath, String[] userIds) {
        URI producer = Loopback.toLoopback(options.producerUrl());
        this.connections = new ProducerConnections(network, producer, options.concurrency());
        this.singleHead = ProducerConnections.head(producer, singlePath, options.apiKey());
        this.batchHead = batchPath == null ? null : ProducerConnections.head(producer, batchPath, options.apiKey());
        this.userIds = userIds;
        int targets = userIds == null ? 1 : userIds.length;
        this.nextSeq = new int[targets];
        this.accepted = new AtomicIntegerArray(targets);
    }

    /** Notifications to {@code userIds}, single ({@code POST /v1/notifications}) or in batches. */
    static Sender notifications(Network network, BenchOptions options, String[] userIds) {
        return new Sender(network, options, "/v1/notifications", "/v1/notifications/batch", userIds);
    }

    /** Messages to {@code channel} ({@code POST /v1/channels/{channel}/messages}), one per request. */
    static Sender channel(Network network, BenchOptions options, String channel) {
        // A channel name's characters (a-z 0-9 _ - . :) need no escaping in a path.
        return new Sender(network, options, "/v1/channels/" + channel + "/messages", null, null);
    }

    /** How many events producer-api accepted that {@code session} is to receive. */
    int acceptedFor(BenchSession session) {
        return accepted.get(userIds == null ? 0 : session.user);
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
        if (batchSize > 1 && batchHead == null) {
            throw new IllegalArgumentException("channel messages are posted one at a time");
        }
        int targets = nextSeq.length;
        double requestRate = rate / batchSize;
        long requests = Math.max(1, Math.round(requestRate * duration.toNanos() / 1e9));
        Histogram responseMicros = new ConcurrentHistogram(Deliveries.HIGHEST_MICROS, 3);
        // Before the clock starts: connections left idle since the last phase may be closing.
        connections.refresh(TimeUnit.SECONDS.toNanos(10));
        long start = Payload.now();
        long stopBy = start + duration.toNanos() + TimeUnit.SECONDS.toNanos(5);
        long event = firstEvent;
        long sent = 0;
        long late = 0;
        StringBuilder body = new StringBuilder(batchSize == 1 ? 160 : 24 + 150 * batchSize);
        for (long k = 0; k < requests; k++) {
            long due = start + Math.round(k * 1e9 / requestRate);
            long wait = due - Payload.now();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            ProducerConnections.Connection connection = connections.poll();
            if (connection == null) {
                late++;
                connection = connections.take(stopBy);
                if (connection == null) {
                    break; // producer-api stopped answering: end the phase, bounded in time
                }
            }
            body.setLength(0);
            int[] users = new int[batchSize];
            if (batchSize > 1) {
                body.append("{\"notifications\":[");
            }
            for (int i = 0; i < batchSize; i++, event++) {
                int user = (int) (event % targets);
                users[i] = user;
                if (i > 0) {
                    body.append(',');
                }
                body.append(userIds == null ? Payload.channelMessage(nextSeq[user]++, due)
                        : Payload.notification(userIds[user], nextSeq[user]++, due));
            }
            if (batchSize > 1) {
                body.append("]}");
            }
            ByteBuf request = ProducerConnections.request(ByteBufAllocator.DEFAULT, batchSize == 1 ? singleHead : batchHead, body);
            long leftAt = Payload.now();
            connections.send(connection, request, (status, answer, error) -> {
                responseMicros.recordValue(Math.min(Deliveries.HIGHEST_MICROS, (Payload.now() - leftAt) / 1_000));
                if (status == 202) {
                    for (int user : users) {
                        accepted.incrementAndGet(user);
                    }
                    acceptedEvents.add(users.length);
                }
                else {
                    rejectedEvents.add(users.length);
                    String why = error != null ? error.getClass().getSimpleName() : status + " " + answer;
                    rejections.merge(why, 1, Integer::sum);
                }
            });
            sent++;
        }
        long endSend = Payload.now();
        // Wait for the answers still in flight (bounded by the request timeout).
        long deadline = Payload.now() + TimeUnit.SECONDS.toNanos(15);
        while (connections.inFlight() > 0 && Payload.now() < deadline) {
            Thread.sleep(2);
        }
        return new Phase(event - firstEvent, sent, (endSend - start) / 1e9, responseMicros, late);
    }

    @Override
    public void close() {
        connections.close();
    }
}
