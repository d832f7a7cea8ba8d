package dev.herald.store.channels;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
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
    private final Clock clock;

    ChannelHistory(JdbcClient jdbc, ChannelTopic topic, Clock clock) {
        this.jdbc = jdbc;
        this.topic = topic;
        this.clock = clock;
    }

    /**
     * At most {@code limit} messages of {@code channel} within {@code (after, before)} and at or
     * below {@code upTo} (in {@code upTo}'s partition), newest first, or oldest first when
     * {@code oldestFirst}. Messages expired by now are left out (the retention job deletes them later).
     */
    List<ChannelItem> page(String channel, long afterOffset, long beforeOffset, Cursor upTo, boolean oldestFirst, int limit) {
        return jdbc.sql("""
                SELECT event_id, channel, kafka_partition, kafka_offset, type, title, body, data, source,
                       occurred_at_ms, accepted_at_ms, actions, expires_at_ms FROM channel_messages
                WHERE channel = :channel AND kafka_partition = :partition
                  AND kafka_offset > :after AND kafka_offset < :before AND kafka_offset <= :upTo
                  AND (expires_at_ms IS NULL OR expires_at_ms > :now)
                ORDER BY kafka_offset""" + (oldestFirst ? " ASC" : " DESC") + " LIMIT :limit")
                .param("channel", channel)
                .param("partition", upTo.partition())
                .param("after", afterOffset)
                .param("before", beforeOffset)
                .param("upTo", upTo.offset())
                .param("now", clock.millis())
                .param("limit", limit)
                .query(this::item)
                .list();
    }

    private ChannelItem item(ResultSet rs, int row) throws SQLException {
        String data = rs.getString("data");
        String actions = rs.getString("actions");
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
                Instant.ofEpochMilli(rs.getLong("accepted_at_ms")),
                actions == null ? null : EnvelopeCodec.mapper().readTree(actions),
                expiresAt(rs));
    }

    private static Instant expiresAt(ResultSet rs) throws SQLException {
        long at = rs.getLong("expires_at_ms");
        return rs.wasNull() ? null : Instant.ofEpochMilli(at);
    }
}
