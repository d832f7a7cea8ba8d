package dev.herald.store.ingest;

import dev.herald.schema.Cursor;
import dev.herald.schema.Topics;
import dev.herald.support.TopicLayout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * The layout of {@code herald.channel-events}: which partition a channel's messages are in, and the
 * epoch its cursors carry. It wraps a {@link TopicLayout} of that topic rather than being one, since
 * the {@code TopicLayout} bean (of {@code herald.user-events}) is injected by type.
 */
@Component
public class ChannelTopic implements DisposableBean {

    private final TopicLayout layout;

    ChannelTopic(KafkaAdmin kafkaAdmin) {
        this.layout = new TopicLayout(kafkaAdmin.getConfigurationProperties(), Topics.CHANNEL_EVENTS, TopicLayout.REFRESH_EVERY);
    }

    /**
     * The partition of {@code channel}: Kafka's default partitioner on the channel, the records' key.
     *
     * @throws IllegalStateException if the topic was never read and Kafka cannot say now
     */
    public int partitionOf(String channel) {
        return layout.partitionOf(channel);
    }

    /** A cursor of this topic, stamped with its epoch when known; never waits for Kafka. */
    public Cursor cursor(int partition, long offset) {
        return layout.cursor(partition, offset);
    }

    /** The topic's current epoch, or null while it was never read. */
    public String epochOrNull() {
        return layout.epochOrNull();
    }

    @Override
    public void destroy() {
        layout.destroy();
    }
}
