package dev.herald.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;
import dev.herald.schema.UserPartitioner;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What the services must know of a topic itself, {@code herald.user-events} unless named: its
 * partition count (which maps keys such as users to partitions) and its epoch (which tells one
 * incarnation of the topic from another, see {@link Cursor}). Both are read from Kafka, kept, and read again in the background, so a
 * topic that was recreated or whose partitions changed is noticed within {@link #REFRESH_EVERY}
 * (and logged) instead of being trusted forever. Callers never wait for Kafka once it has been
 * read once.
 */
public class TopicLayout implements DisposableBean {

    /** How often the layout is read again once known (every second until it is). */
    public static final Duration REFRESH_EVERY = Duration.ofSeconds(30);
    /** The epoch is this many characters of the topic id: 48 random bits, never shown to people. */
    static final int EPOCH_LENGTH = 8;
    private static final Logger log = LoggerFactory.getLogger(TopicLayout.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /**
     * @param partitions the partition count
     * @param epoch the topic's epoch, a prefix of its topic id
     */
    public record Layout(int partitions, String epoch) {

        public Layout {
            Objects.requireNonNull(epoch, "epoch");
        }
    }

    private final Admin admin;
    private final String name;
    private final Duration refreshEvery;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-topic-layout");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Layout layout;

    public TopicLayout(KafkaAdmin kafkaAdmin) {
        this(kafkaAdmin.getConfigurationProperties(), Topics.USER_EVENTS, REFRESH_EVERY);
    }

    /** For a topic of another name (tests), read again every {@code refreshEvery}. */
    public TopicLayout(Map<String, Object> adminConfig, String name, Duration refreshEvery) {
        this.name = name;
        this.refreshEvery = refreshEvery;
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-topic-layout");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(config);
        refresher.execute(this::refreshInBackground);
    }

    /**
     * The layout, as last read; reads it now (waiting up to three seconds) only if it was never read.
     *
     * @throws IllegalStateException if Kafka cannot say
     */
    public Layout layout() {
        Layout known = layout;
        return known != null ? known : read();
    }

    /** The partition of a key's records (a user's events). */
    public int partitionOf(String key) {
        return UserPartitioner.partitionOf(key, layout().partitions());
    }

    /** The current epoch, or null while the topic was never read (callers must not wait for it). */
    public String epochOrNull() {
        Layout known = layout;
        return known == null ? null : known.epoch();
    }

    /** A cursor of this topic, stamped with its epoch when known; never waits for Kafka. */
    public Cursor cursor(int partition, long offset) {
        return new Cursor(partition, offset, epochOrNull());
    }

    private void refreshInBackground() {
        boolean known;
        try {
            read();
            known = true;
        }
        catch (IllegalStateException ex) {
            log.debug("{}", ex.getMessage());
            known = false;
        }
        if (!refresher.isShutdown()) {
            refresher.schedule(this::refreshInBackground, known ? refreshEvery.toMillis() : Math.min(1_000,
                    refreshEvery.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized Layout read() {
        TopicDescription topic;
        try {
            topic = admin.describeTopics(List.of(name)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(name);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("cannot read topic " + name + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading topic " + name, ex);
        }
        Layout now = new Layout(topic.partitions().size(), epochOf(topic.topicId().toString()));
        Layout before = layout;
        if (before != null && !before.equals(now)) {
            log.warn("Topic {} changed: {} partitions, epoch {} (was {} partitions, epoch {}); users may have moved "
                    + "partitions and older cursors get resync", name, now.partitions(), now.epoch(),
                    before.partitions(), before.epoch());
        }
        layout = now;
        return now;
    }

    static String epochOf(String topicId) {
        return topicId.substring(0, Math.min(EPOCH_LENGTH, topicId.length()));
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
