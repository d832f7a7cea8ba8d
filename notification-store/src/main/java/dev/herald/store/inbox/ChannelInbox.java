package dev.herald.store.inbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Preferences;
import dev.herald.store.ingest.ChannelTopic;
import dev.herald.store.system.StoreProperties;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads of the inbox channels' messages as items of a user's inbox (V4's {@code channel_messages},
 * V5's read state, V6's seen and archived state; all writes come from the streams). Each message is stored once, whatever the
 * number of users: a user's unread count of a channel is its messages above the user's read-all
 * mark and inside the window, less those of them the user read one by one; it reads the user's own
 * rows and the channel's, never other users' state.
 */
@Repository
class ChannelInbox {

    private final NamedParameterJdbcTemplate named;
    private final ChannelTopic topic;
    private final Clock clock;
    private final List<String> channels;
    private final Duration window;

    ChannelInbox(NamedParameterJdbcTemplate named, ChannelTopic topic, Clock clock, StoreProperties properties) {
        this.named = named;
        this.topic = topic;
        this.clock = clock;
        this.channels = properties.inboxChannels();
        this.window = properties.inboxChannelWindow();
    }

    /** The inbox channels, as configured. */
    List<String> channels() {
        return channels;
    }

    boolean isInboxChannel(String channel) {
        return channels.contains(channel);
    }

    /** Whether {@code channel} has a message with this eventId (from one source or several). */
    boolean holds(String channel, String eventId) {
        return !named.queryForList("SELECT 1 FROM channel_messages WHERE channel = :channel AND event_id = :id LIMIT 1",
                Map.of("channel", channel, "id", eventId), Integer.class).isEmpty();
    }

    /**
     * The user's unread messages of all inbox channels: per channel one query over the index range
     * {@code (channel, kafka_offset)} above both the window's start and the user's read-all mark,
     * less those the user read one by one (a probe of the user's own {@code channel_reads} key) and
     * those the user archived ({@code channel_archives}, V6) and those expired by now (a test of each
     * row of that range, no other rows). Its cost is the messages in that range (a channel's
     * messages of the window, at most), never the number of users.
     */
    int unread(String userId) {
        return unread(userId, Preferences.NONE);
    }

    /**
     * The user's unread messages of all inbox channels, less those of types the user's {@code preferences}
     * mute (found among the types the channel's window holds: {@link #mutedTypes}).
     */
    int unread(String userId, Preferences preferences) {
        return count(userId, preferences, "channel_reads", "channel_read_marks", "read_up_to");
    }

    /** The user's unseen messages of all inbox channels, as {@link #unread(String)} counts unread ones. */
    int unseen(String userId) {
        return unseen(userId, Preferences.NONE);
    }

    /** The user's unseen messages of all inbox channels, counted as {@link #unread} is, from the seen state (V6). */
    int unseen(String userId, Preferences preferences) {
        return count(userId, preferences, "channel_seen", "channel_seen_marks", "seen_up_to");
    }

    private int count(String userId, Preferences preferences, String rows, String marks, String upTo) {
        int count = 0;
        for (String channel : channels) {
            Set<String> muted = mutedTypes(channel, preferences);
            count += named.queryForObject("""
                    SELECT COUNT(*) FROM channel_messages m
                    WHERE m.channel = :channel
                      AND m.kafka_offset >= (SELECT MIN(w.kafka_offset) FROM channel_messages w
                                             WHERE w.channel = :channel AND w.accepted_at_ms >= :since)
                      AND m.kafka_offset > COALESCE((SELECT k.%3$s FROM %2$s k
                                                     WHERE k.user_id = :user AND k.channel = :channel), -1)
                      AND NOT EXISTS (SELECT 1 FROM %1$s r
                                      WHERE r.user_id = :user AND r.channel = :channel AND r.kafka_offset = m.kafka_offset)
                      AND NOT EXISTS (SELECT 1 FROM channel_archives a
                                      WHERE a.user_id = :user AND a.channel = :channel AND a.kafka_offset = m.kafka_offset)
                      AND (m.expires_at_ms IS NULL OR m.expires_at_ms > :now)"""
                    .formatted(rows, marks, upTo)
                    + (muted.isEmpty() ? "" : " AND m.type NOT IN (:muted)"),
                    Map.of("user", userId, "channel", channel, "since", windowStart(), "now", clock.millis(),
                            "muted", muted.isEmpty() ? List.of("") : muted),
                    Integer.class);
        }
        return count;
    }

    /**
     * The types of {@code channel}'s messages in the window that {@code preferences} mute. Unlike
     * the user's own notifications, which are judged once on arrival, a channel message is stored
     * once for every user, so it is judged by the user's current set: muting a type hides the
     * channel's messages of that type, earlier ones too, and unmuting shows them again. No query for a
     * user without rules; otherwise one pass over the window's messages of the channel.
     */
    Set<String> mutedTypes(String channel, Preferences preferences) {
        if (preferences.isEmpty()) {
            return Set.of();
        }
        Set<String> muted = new HashSet<>();
        for (String type : named.queryForList(
                "SELECT DISTINCT type FROM channel_messages WHERE channel = :channel AND accepted_at_ms >= :since",
                Map.of("channel", channel, "since", windowStart()), String.class)) {
            if (preferences.mutes(type)) {
                muted.add(type);
            }
        }
        return muted;
    }

    private long windowStart() {
        return clock.millis() - window.toMillis();
    }

    /**
     * At most {@code limit} messages of {@code channel} within {@code (after, before)} and the
     * window, with the user's read state, newest first, or oldest first when {@code oldestFirst}.
     */
    List<InboxMerge.Candidate<InboxItem>> page(String userId, String channel, InboxRepository.Status status,
            long afterOffset, long beforeOffset, boolean oldestFirst, int limit) {
        return page(userId, channel, status, Set.of(), afterOffset, beforeOffset, oldestFirst, limit);
    }

    /** As {@link #page(String, String, InboxRepository.Status, long, long, boolean, int)}, leaving out messages of {@code hiddenTypes}. */
    List<InboxMerge.Candidate<InboxItem>> page(String userId, String channel, InboxRepository.Status status,
            Set<String> hiddenTypes, long afterOffset, long beforeOffset, boolean oldestFirst, int limit) {
        State state = state(userId, channel);
        if (state == null) {
            return List.of();
        }
        String condition = switch (status) {
            case UNREAD -> " AND m.kafka_offset > :mark AND r.read_at_ms IS NULL AND a.archived_at_ms IS NULL";
            case READ -> " AND (m.kafka_offset <= :mark OR r.read_at_ms IS NOT NULL) AND a.archived_at_ms IS NULL";
            case UNSEEN -> " AND m.kafka_offset > :seenMark AND s.seen_at_ms IS NULL AND a.archived_at_ms IS NULL";
            case SEEN -> " AND (m.kafka_offset <= :seenMark OR s.seen_at_ms IS NOT NULL) AND a.archived_at_ms IS NULL";
            case ALL -> " AND a.archived_at_ms IS NULL";
            case ARCHIVED -> " AND a.archived_at_ms IS NOT NULL";
        };
        if (!hiddenTypes.isEmpty()) {
            condition += " AND m.type NOT IN (:hidden)";
        }
        String sql = """
                SELECT m.event_id, m.channel, m.kafka_partition, m.kafka_offset, m.type, m.title, m.body, m.data, m.source,
                       m.occurred_at_ms, m.accepted_at_ms, r.read_at_ms, s.seen_at_ms, a.archived_at_ms, m.actions,
                       m.expires_at_ms
                FROM channel_messages m
                LEFT JOIN channel_reads r ON r.user_id = :user AND r.channel = m.channel AND r.kafka_offset = m.kafka_offset
                LEFT JOIN channel_seen s ON s.user_id = :user AND s.channel = m.channel AND s.kafka_offset = m.kafka_offset
                LEFT JOIN channel_archives a ON a.user_id = :user AND a.channel = m.channel AND a.kafka_offset = m.kafka_offset
                WHERE m.channel = :channel AND m.kafka_offset > :after AND m.kafka_offset < :before
                  AND (m.expires_at_ms IS NULL OR m.expires_at_ms > :now)"""
                + condition + " ORDER BY m.kafka_offset " + (oldestFirst ? "ASC" : "DESC") + " LIMIT :limit";
        Map<String, Object> params = Map.of("user", userId, "channel", channel,
                "after", Math.max(afterOffset, state.floor() - 1), "before", beforeOffset, "mark", state.mark(),
                "seenMark", state.seenMark(), "limit", limit, "hidden", hiddenTypes.isEmpty() ? List.of("") : hiddenTypes,
                "now", clock.millis());
        return named.query(sql, params, (rs, row) -> new InboxMerge.Candidate<>(channel, rs.getLong("kafka_offset"),
                rs.getLong("accepted_at_ms"), item(rs, state)));
    }

    /**
     * The user's read-all mark of the channel and the window's first offset; null when the window
     * holds no message of the channel. The window starts at the first offset accepted within it
     * (read from the index {@code (channel, accepted_at_ms, kafka_offset)}): later offsets are in,
     * so the window cuts the stream at one place even where acceptance times are not monotonic.
     */
    private State state(String userId, String channel) {
        Long floor = named.queryForObject(
                "SELECT MIN(kafka_offset) FROM channel_messages WHERE channel = :channel AND accepted_at_ms >= :since",
                Map.of("channel", channel, "since", windowStart()), Long.class);
        if (floor == null) {
            return null;
        }
        Map<String, Object> key = Map.of("user", userId, "channel", channel);
        List<long[]> marks = named.query(
                "SELECT read_up_to, read_at_ms FROM channel_read_marks WHERE user_id = :user AND channel = :channel",
                key, (rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) });
        List<long[]> seenMarks = named.query(
                "SELECT seen_up_to, seen_at_ms FROM channel_seen_marks WHERE user_id = :user AND channel = :channel",
                key, (rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) });
        long[] read = marks.isEmpty() ? new long[] { -1, 0 } : marks.get(0);
        long[] seen = seenMarks.isEmpty() ? new long[] { -1, 0 } : seenMarks.get(0);
        return new State(floor, read[0], read[1], seen[0], seen[1]);
    }

    /**
     * @param mark the offset up to which read-all covered the channel (-1: never), at {@code markedAtMs}
     * @param seenMark the same of seen-all (V6), at {@code seenMarkedAtMs}
     */
    private record State(long floor, long mark, long markedAtMs, long seenMark, long seenMarkedAtMs) {
    }

    private InboxItem item(ResultSet rs, State state) throws SQLException {
        String data = rs.getString("data");
        long offset = rs.getLong("kafka_offset");
        long readAt = rs.getLong("read_at_ms");
        boolean readAlone = !rs.wasNull();
        boolean read = readAlone || offset <= state.mark();
        long seenAt = rs.getLong("seen_at_ms");
        boolean seenAlone = !rs.wasNull();
        boolean seen = seenAlone || offset <= state.seenMark();
        long archivedAt = rs.getLong("archived_at_ms");
        boolean archived = !rs.wasNull();
        return new InboxItem(
                rs.getString("event_id"),
                null,
                rs.getString("type"),
                rs.getString("title"),
                rs.getString("body"),
                data == null ? null : EnvelopeCodec.mapper().readTree(data),
                rs.getString("source"),
                Instant.ofEpochMilli(rs.getLong("occurred_at_ms")),
                Instant.ofEpochMilli(rs.getLong("accepted_at_ms")),
                read,
                read ? Instant.ofEpochMilli(readAlone ? readAt : state.markedAtMs()) : null,
                rs.getString("channel"),
                topic.cursor(rs.getInt("kafka_partition"), offset).toString(),
                seen,
                seen ? Instant.ofEpochMilli(seenAlone ? seenAt : state.seenMarkedAtMs()) : null,
                archived,
                archived ? Instant.ofEpochMilli(archivedAt) : null,
                InboxRepository.actions(rs),
                InboxRepository.expiresAt(rs));
    }
}
