package dev.herald.store.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.schema.Cursor;
import dev.herald.support.TopicLayout;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * How far the store has applied each partition: the committed {@code applied_positions} table (a {@link PositionsTable}), with
 * an in-memory copy that this instance's consumers advance after each commit so that waiters wake
 * at once. A partition consumed by another store instance is seen through the table.
 */
@Component
public class AppliedPositions {

    private static final long POLL_MILLIS = 50;

    private final PositionsTable table;
    private final MeterRegistry registry;
    private final TopicLayout topic;
    private final Map<Integer, Long> local = new ConcurrentHashMap<>();
    private final Object changed = new Object();

    AppliedPositions(NamedParameterJdbcTemplate named, MeterRegistry registry, TopicLayout topic) {
        this.table = new PositionsTable(InboxWriter.POSITIONS, named);
        this.registry = registry;
        this.topic = topic;
    }

    /** The committed position of {@code partition}, with the topic's epoch; offset -1 when nothing was applied there yet. */
    public Cursor current(int partition) {
        return topic.cursor(partition, table.read(partition));
    }

    /** A cursor of the user topic, with its epoch. */
    public Cursor cursor(int partition, long offset) {
        return topic.cursor(partition, offset);
    }

    /** Waits until the record at {@code position} is applied; false if that took longer than {@code timeout}. */
    public boolean awaitApplied(Cursor position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (local.getOrDefault(position.partition(), -1L) >= position.offset()
                    || current(position.partition()).offset() >= position.offset()) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (changed) {
                changed.wait(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
            }
        }
    }

    /** Called after a commit that applied {@code partition} up to {@code offset}. */
    void advanced(int partition, long offset) {
        local.merge(partition, offset, Math::max);
        // Registering is idempotent: the first batch of a partition creates its gauge.
        Gauge.builder("herald.store.applied.offset", local, positions -> positions.getOrDefault(partition, -1L))
                .description("Offset of the last record applied to the inbox, per partition")
                .tag("partition", Integer.toString(partition))
                .register(registry);
        synchronized (changed) {
            changed.notifyAll();
        }
    }
}
