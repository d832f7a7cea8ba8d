package dev.herald.gateway.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.herald.gateway.ownership.DeliveryReceipts;
import dev.herald.gateway.ownership.OutboundFrame;
import dev.herald.gateway.ownership.OwnedPartition;
import dev.herald.gateway.ownership.Subscriber;
import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.KeyedHistory;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;

/**
 * What receipts cost the gateway per delivered notification, without Kafka: the consumer thread's
 * CPU for a partition's fan-out to one session with receipts off ({@link DeliveryReceipts#NONE}),
 * and on (what {@link ReceiptEmitter} does on that thread: one queue offer; a second thread drains
 * the queue), and the sender thread's encoding of one receipt. 2,000,000 notifications each,
 * after 500,000 unmeasured. Kafka's own cost per produced record is not in these numbers.
 * Run with {@code mvn -B test -pl push-gateway -Dherald.measure=true -Dtest=ReceiptsMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "herald.measure", matches = "true")
class ReceiptsMeasurement {

    private static final int WARM_UP = 500_000;
    private static final int MEASURED = 2_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record Pending(String userId, String eventId, long atMillis, int sessions) {
    }

    @Test
    void cpuPerNotification() throws Exception {
        double off = fanOut(DeliveryReceipts.NONE);
        BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(100_000);
        Thread drainer = new Thread(() -> {
            List<Pending> batch = new ArrayList<>();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        queue.drainTo(batch, 999);
                        batch.clear();
                    }
                }
                catch (InterruptedException ex) {
                    return;
                }
            }
        });
        drainer.start();
        double on = fanOut((user, eventId, sessions) -> queue.offer(new Pending(user, eventId, System.currentTimeMillis(), sessions)));
        drainer.interrupt();

        long bytes = 0;
        for (int i = 0; i < WARM_UP; i++) {
            bytes += ReceiptCodec.encode(Receipt.delivered("user-" + (i % 10_000), "e-" + i, Instant.now(), "ws://gw-1/ws", 1)).length;
        }
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < MEASURED; i++) {
            bytes += ReceiptCodec.encode(Receipt.delivered("user-" + (i % 10_000), "e-" + i, Instant.now(), "ws://gw-1/ws", 1)).length;
        }
        double encode = (THREADS.getCurrentThreadCpuTime() - start) / (double) MEASURED;
        System.out.printf("receipts off: %.0f ns CPU per notification on the consumer thread%n", off);
        System.out.printf("receipts on:  %.0f ns CPU per notification on the consumer thread (+%.0f ns)%n", on, on - off);
        System.out.printf("encoding one receipt on the sender thread: %.0f ns CPU%n", encode);
        assertThat(bytes).isPositive();
    }

    /** CPU ns per notification appended and handed to one session (whose send does nothing). */
    private static double fanOut(DeliveryReceipts receipts) {
        OwnedPartition partition = new OwnedPartition(0, "e1", new KeyedHistory(0, 5_000, 500, Duration.ofMinutes(10)), 0, 3_000,
                receipts);
        partition.caughtUp(0, 0);
        for (int u = 0; u < 1_000; u++) {
            partition.attach(session("user-" + u), null, 0);
        }
        String frame = "{\"type\":\"notification\",\"cursor\":\"0-1\",\"event\":{}}";
        long offset = 0;
        for (int i = 0; i < WARM_UP; i++) {
            partition.append(new HistoryEntry(offset++, "user-" + (i % 1_000), i, "notification", frame, "e-" + i), i);
        }
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < MEASURED; i++) {
            partition.append(new HistoryEntry(offset++, "user-" + (i % 1_000), i, "notification", frame, "e-" + i), i);
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / (double) MEASURED;
    }

    private static Subscriber session(String user) {
        return new Subscriber() {
            @Override
            public String key() {
                return user;
            }

            @Override
            public void send(OutboundFrame frame) {
            }

            @Override
            public void open(Opening opening) {
            }

            @Override
            public CompletableFuture<Void> close(int code, String reason) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
