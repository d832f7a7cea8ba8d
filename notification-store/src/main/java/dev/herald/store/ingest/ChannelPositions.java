package dev.herald.store.ingest;

import dev.herald.schema.Cursor;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How far the store has applied each partition of {@code herald.channel-events}: the committed
 * {@code channel_positions} table, which {@link ChannelWriter} moves in the transaction that stores
 * the messages. Every message of a partition at or below its position is committed.
 */
@Component
public class ChannelPositions {

    private final JdbcClient jdbc;
    private final ChannelTopic topic;

    ChannelPositions(JdbcClient jdbc, ChannelTopic topic) {
        this.jdbc = jdbc;
        this.topic = topic;
    }

    /** The committed position of {@code partition}, with the topic's epoch; offset -1 when nothing was applied there yet. */
    public Cursor current(int partition) {
        long offset = jdbc.sql("SELECT applied_offset FROM channel_positions WHERE kafka_partition = ?")
                .param(partition)
                .query(Long.class)
                .optional()
                .orElse(-1L);
        return topic.cursor(partition, offset);
    }
}
