package dev.herald.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What arrived during one measurement window: the end-to-end latency histogram (microseconds, from
 * the time the generator meant to send the event to the frame's arrival), counts, and the first and
 * last arrival. A new window starts with {@link #reset()}; sessions always record into the current one.
 */
final class Deliveries {

    static final long HIGHEST_MICROS = 120_000_000L;

    private volatile Window window = new Window();

    void record(long sentNanos, long arrivedNanos) {
        window.record(sentNanos, arrivedNanos);
    }

    void duplicate() {
        window.duplicates.increment();
    }

    Window reset() {
        Window previous = window;
        window = new Window();
        return previous;
    }

    Window current() {
        return window;
    }

    static final class Window {

        final Histogram latencyMicros = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        final LongAdder delivered = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final AtomicLong firstArrival = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastArrival = new AtomicLong(Long.MIN_VALUE);

        void record(long sentNanos, long arrivedNanos) {
            long micros = Math.max(0, (arrivedNanos - sentNanos) / 1_000);
            latencyMicros.recordValue(Math.min(micros, HIGHEST_MICROS));
            delivered.increment();
            firstArrival.accumulateAndGet(arrivedNanos, Math::min);
            lastArrival.accumulateAndGet(arrivedNanos, Math::max);
        }
    }
}
