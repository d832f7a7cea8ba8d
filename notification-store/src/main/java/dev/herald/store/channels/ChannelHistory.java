package dev.herald.store.channels;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import dev.herald.schema.Cursor;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.store.ingest.ChannelTopic;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads of {@code channel_messages}. All writes come from the stream (ChannelWriter). */
@Repository
class ChannelHistory {

    private final JdbcClient jdbc;
    private final ChannelTopic topic;

    ChannelHistory(JdbcClient jdbc, ChannelTopic topic) {
        this.jdbc = jdbc;
        this.topic = topic;
    }

    /**
     * At most {@code limit} messages of {@code channel} within {@code (after, before)} and at or
     * below {@code upTo} (in {@code upTo}'s partition), newest first, or oldest first when
     * {@code oldestFirst}.
     */
    List<ChannelItem> page(String channel, long afterOffset, long beforeOffset, Cursor upTo, boolean oldestFirst, int limit) {
        return jdbc.sql("""
                SELECT event_id, channel, kafka_partition, kafka_offset, type, title, body, data, source,
                       occurred_at_ms, accepted_at_ms FROM channel_messages
                WHERE channel = :channel AND kafka_partition = :partition
                  AND kafka_offset > :after AND kafka_offset < :before AND kafka_offset <= :upTo
                ORDER BY kafka_offset""" + (oldestFirst ? " ASC" : " DESC") + " LIMIT :limit")
                .param("channel", channel)
                .param("partition", upTo.partition())
                .param("after", afterOffset)
                .param("before", beforeOffset)
                .param("upTo", upTo.offset())
                .param("limit", limit)
                .query(this::item)
                .list();
    }

    private ChannelItem item(ResultSet rs, int row) throws SQLException {
        String data = rs.getString("data");
        return new ChannelItem(
                rs.getString("event_id"),
                rs.getString("channel"),
                topic.cursor(rs.getInt("kafka_partition"), rs.getLong("kafka_offset")).toString(),
                rs.getString("type"),
                rs.getString("title"),
                rs.getString("body"),
                data == null ? null : EnvelopeCodec.mapper().readTree(data),
                rs.getString("source"),
                Instant.ofEpochMilli(rs.getLong("occurred_at_ms")),
                Instant.ofEpochMilli(rs.getLong("accepted_at_ms")));
    }
}
