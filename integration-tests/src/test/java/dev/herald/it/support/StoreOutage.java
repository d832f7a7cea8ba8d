package dev.herald.it.support;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;

/**
 * A real outage of the store's database, for tests: while it lasts, the positions table that every
 * batch's transaction starts with is renamed away, so the database fails each batch and each read
 * of a position, and the store retries as it would for a database that is down. It counts the
 * store's failed attempts at batches holding a record of one key. Close it to end the outage.
 */
public final class StoreOutage implements AutoCloseable {

    private final JdbcTemplate db;
    private final DefaultErrorHandler errorHandler;
    private final String table;
    private final AtomicInteger failedAttempts = new AtomicInteger();

    private StoreOutage(HeraldStack stack, String table, String key) {
        this.db = stack.store().getBean(JdbcTemplate.class);
        this.errorHandler = stack.store().getBean(DefaultErrorHandler.class);
        this.table = table;
        errorHandler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
                // the store's listeners take batches
            }

            @Override
            public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
                for (ConsumerRecord<?, ?> record : records) {
                    if (key.equals(record.key())) {
                        failedAttempts.incrementAndGet();
                        return;
                    }
                }
            }
        });
        db.execute("RENAME TABLE " + table + " TO " + table + "_away");
    }

    /** Takes {@code table} (a positions table) away, counting failed attempts at batches with {@code key}. */
    public static StoreOutage begin(HeraldStack stack, String table, String key) {
        return new StoreOutage(stack, table, key);
    }

    /** The store's failed attempts at a batch with the key so far. */
    public int failedAttempts() {
        return failedAttempts.get();
    }

    /** Brings the table back and stops counting. */
    @Override
    public void close() {
        db.execute("RENAME TABLE " + table + "_away TO " + table);
        errorHandler.setRetryListeners();
    }
}
