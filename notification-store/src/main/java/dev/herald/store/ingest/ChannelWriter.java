package dev.herald.store.ingest;

import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
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
                data, occurred_at_ms, accepted_at_ms, actions, expires_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** The positions of {@code herald.channel-events}, also read by {@link ChannelPositions}. */
    static final String POSITIONS = "channel_positions";

    /** The dead letters of {@code herald.channel-events}, forwarded by {@link ChannelDeadLetters}. */
    static final String DEAD_LETTERS = "channel_dead_letters";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final PositionsTable positions;
    private final DeadLetterTable deadLetterTable;

    ChannelWriter(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, Clock clock) {
        this.jdbc = jdbc;
        this.named = named;
        this.positions = new PositionsTable(POSITIONS, named);
        this.deadLetterTable = new DeadLetterTable(DEAD_LETTERS, jdbc, clock);
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
        PositionsTable.Locked applied = positions.lock(batchEnds.keySet());
        List<PositionedMessage> fresh = applied.fresh(messages);
        // At or below the position, a record's dead letter was recorded (and maybe forwarded) already.
        List<DeadLetter> freshDeadLetters = applied.fresh(deadLetters);
        Set<Identity> stored = storedIdentities(fresh);
        List<PositionedMessage> rows = new ArrayList<>();
        for (PositionedMessage m : fresh) {
            // Also drops the second of two copies within this batch.
            if (stored.add(Identity.of(m.message()))) {
                rows.add(m);
            }
        }
        insert(rows);
        deadLetterTable.record(freshDeadLetters);
        applied.moveTo(batchEnds);
        return new Applied(rows.size(), fresh.size() - rows.size(), freshDeadLetters.size());
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
            ps.setString(12, m.actions().isEmpty() ? null : Actions.json(m.actions()));
            if (m.expiresAt() == null) {
                ps.setNull(13, Types.BIGINT);
            }
            else {
                ps.setLong(13, m.expiresAt().toEpochMilli());
            }
        });
    }
}
