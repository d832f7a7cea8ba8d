package dev.herald.store.retention;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Runs the {@link RetentionSweeper} every {@code herald.store.retention.sweep-interval} on a thread
 * of its own: expired notifications and channel messages, then the max-age and max-items limits
 * when set. Each kind goes batch after batch until a batch comes back short, at most
 * {@value #MAX_BATCHES_PER_RUN} batches per kind and run, so a large backlog is worked off over
 * several runs and the database is never held for long. Every store instance runs it; two sweeps
 * of the same rows only wait on each other's row locks.
 */
@Component
class RetentionJob implements SmartLifecycle {

    static final int MAX_BATCHES_PER_RUN = 100;

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final RetentionSweeper sweeper;
    private final RetentionProperties properties;
    private final Counter expiredNotifications;
    private final Counter expiredChannelMessages;
    private final Counter byAge;
    private final Counter byItems;
    private ScheduledExecutorService executor;

    RetentionJob(NamedParameterJdbcTemplate named, PlatformTransactionManager transactionManager, Clock clock,
            RetentionProperties properties, MeterRegistry registry) {
        this.sweeper = new RetentionSweeper(named, transactionManager, clock, properties.batchSize());
        this.properties = properties;
        this.expiredNotifications = Counter.builder("herald.store.expired").tag("of", "notifications")
                .description("Expired rows deleted").register(registry);
        this.expiredChannelMessages = Counter.builder("herald.store.expired").tag("of", "channel_messages")
                .description("Expired rows deleted").register(registry);
        this.byAge = Counter.builder("herald.store.retention.deleted").tag("rule", "max-age")
                .description("Notifications deleted by a retention limit").register(registry);
        this.byItems = Counter.builder("herald.store.retention.deleted").tag("rule", "max-items-per-user")
                .description("Notifications deleted by a retention limit").register(registry);
    }

    /** One run; a failure (the database away, a lock wait) is logged and the next run tries again. */
    void run() {
        long started = System.nanoTime();
        try {
            int expired = drain(sweeper::expiredNotifications, expiredNotifications);
            int expiredMessages = drain(sweeper::expiredChannelMessages, expiredChannelMessages);
            int old = properties.maxAge() == null ? 0 : drain(() -> sweeper.olderThan(properties.maxAge()), byAge);
            int over = 0;
            if (properties.maxItemsPerUser() > 0) {
                over = sweeper.overMaxItems(properties.maxItemsPerUser());
                byItems.increment(over);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (expired + expiredMessages + old + over > 0) {
                log.info("Retention: deleted {} expired notifications, {} expired channel messages, {} by max-age, {} by max-items-per-user ({} ms)",
                        expired, expiredMessages, old, over, millis);
            }
            else {
                log.debug("Retention: nothing to delete ({} ms)", millis);
            }
        }
        catch (RuntimeException ex) {
            log.warn("Retention run failed, next in {}: {}", properties.sweepInterval(), ex.toString());
        }
    }

    private int drain(IntSupplier batch, Counter counter) {
        int total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
            int deleted = batch.getAsInt();
            counter.increment(deleted);
            total += deleted;
            if (deleted < properties.batchSize()) {
                break;
            }
        }
        return total;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "herald-retention");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.sweepInterval().toMillis();
        executor.scheduleWithFixedDelay(this::run, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            // A run in progress finishes its batch (a short transaction) before the pool closes.
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
