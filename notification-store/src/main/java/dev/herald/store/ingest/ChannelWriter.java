package dev.herald.store.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.herald.schema.ChannelMessage;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a batch of {@code herald.channel-events} to {@code channel_messages} in one transaction,
 * together with the new position of each partition in {@code channel_positions}: exactly once on
 * top of Kafka's at-least-once, as {@link InboxWriter} does for the inbox. Records at or below a
 * partition's position are skipped, and a message is ignored when its channel already has its
 * eventId from the same source.
 *
 * <p>Records that cannot be applied are recorded in {@code channel_dead_letters} in the same
 * transaction, so each is dead-lettered once however often its batch is retried or read again
 * ({@link ChannelDeadLetters} forwards them after the commit).
 */
@Component
class ChannelWriter {

    private static final String INSERT = """
            INSERT INTO channel_messages (event_id, channel, source, kafka_partition, kafka_offset, type, title, body,
                data, occurred_at_ms, accepted_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String INSERT_DEAD_LETTER = """
            INSERT INTO channel_dead_letters (kafka_partition, kafka_offset, record_key, record_value, reason, created_at_ms)
            VALUES (?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Clock clock;

    ChannelWriter(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, Clock clock) {
        this.jdbc = jdbc;
        this.named = named;
        this.clock = clock;
    }

    /**
     * @param messages valid messages of the batch, in stream order
     * @param deadLetters records of the batch that cannot be applied
     * @param batchEnds per partition, the offset of the batch's last record (valid or not)
     * @return how many messages were new, how many were stored already, and how many records were
     *         dead-lettered now (not before)
     */
    @Transactional
    Applied apply(List<PositionedMessage> messages, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds) {
        Map<Integer, Long> applied = lockPositions(batchEnds.keySet());
        List<PositionedMessage> fresh = messages.stream()
                .filter(m -> m.offset() > applied.getOrDefault(m.partition(), -1L))
                .toList();
        // At or below the position, a record's dead letter was recorded (and maybe forwarded) already.
        List<DeadLetter> freshDeadLetters = deadLetters.stream()
                .filter(d -> d.offset() > applied.getOrDefault(d.partition(), -1L))
                .toList();
        Set<Identity> stored = storedIdentities(fresh);
        List<PositionedMessage> rows = new ArrayList<>();
        for (PositionedMessage m : fresh) {
            // Also drops the second of two copies within this batch.
            if (stored.add(Identity.of(m.message()))) {
                rows.add(m);
            }
        }
        insert(rows);
        recordDeadLetters(freshDeadLetters);
        batchEnds.forEach((partition, end) -> {
            if (end > applied.getOrDefault(partition, -1L)) {
                savePosition(partition, end, applied.containsKey(partition));
            }
        });
        return new Applied(rows.size(), fresh.size() - rows.size(), freshDeadLetters.size());
    }

    /** The outcome of one batch: messages stored, messages stored before, and records dead-lettered. */
    record Applied(int inserted, int duplicates, int deadLettered) {
    }

    private Map<Integer, Long> lockPositions(Collection<Integer> partitions) {
        Map<Integer, Long> applied = new HashMap<>();
        if (partitions.isEmpty()) {
            return applied;
        }
        named.query("SELECT kafka_partition, applied_offset FROM channel_positions WHERE kafka_partition IN (:p) FOR UPDATE",
                Map.of("p", partitions), rs -> {
                    applied.put(rs.getInt(1), rs.getLong(2));
                });
        return applied;
    }

    /** Which of {@code messages} are stored already: one look-up of whole keys of {@code uk_channel_messages_channel_event_source}. */
    private Set<Identity> storedIdentities(List<PositionedMessage> messages) {
        Set<Identity> stored = new HashSet<>();
        if (messages.isEmpty()) {
            return stored;
        }
        List<Object[]> keys = messages.stream()
                .map(m -> new Object[] { m.message().channel(), m.message().eventId(), m.message().source() })
                .toList();
        named.query("SELECT channel, event_id, source FROM channel_messages WHERE (channel, event_id, source) IN (:keys)",
                Map.of("keys", keys), rs -> {
                    stored.add(new Identity(rs.getString(1), rs.getString(2), rs.getString(3)));
                });
        return stored;
    }

    /** What makes two channel messages the same: one source's eventId in one channel, compared byte for byte as V4's columns are. */
    private record Identity(String channel, String eventId, String source) {

        static Identity of(ChannelMessage message) {
            return new Identity(message.channel(), message.eventId(), message.source());
        }
    }

    private void insert(List<PositionedMessage> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT, rows, rows.size(), (ps, row) -> {
            ChannelMessage m = row.message();
            ps.setString(1, m.eventId());
            ps.setString(2, m.channel());
            ps.setString(3, m.source());
            ps.setInt(4, row.partition());
            ps.setLong(5, row.offset());
            ps.setString(6, m.type());
            ps.setString(7, m.title());
            ps.setString(8, m.body());
            ps.setString(9, m.data() == null ? null : m.data().toString());
            ps.setLong(10, m.occurredAt().toEpochMilli());
            ps.setLong(11, m.acceptedAt().toEpochMilli());
        });
    }

    private void recordDeadLetters(List<DeadLetter> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long now = clock.millis();
        jdbc.batchUpdate(INSERT_DEAD_LETTER, rows, rows.size(), (ps, row) -> {
            ps.setInt(1, row.partition());
            ps.setLong(2, row.offset());
            ps.setBytes(3, row.key() == null ? null : row.key().getBytes(StandardCharsets.UTF_8));
            ps.setBytes(4, row.value());
            ps.setString(5, row.reason());
            ps.setLong(6, now);
        });
    }

    private void savePosition(int partition, long offset, boolean exists) {
        if (exists) {
            jdbc.update("UPDATE channel_positions SET applied_offset = ? WHERE kafka_partition = ?", offset, partition);
        }
        else {
            jdbc.update("INSERT INTO channel_positions (kafka_partition, applied_offset) VALUES (?, ?)", partition, offset);
        }
    }
}
