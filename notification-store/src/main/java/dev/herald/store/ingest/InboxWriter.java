package dev.herald.store.ingest;

import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Envelope;
import dev.herald.schema.EventKind;
import dev.herald.store.filters.FilterKeys;
import dev.herald.schema.PreferenceSnapshot;
import dev.herald.store.system.StoreProperties;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies a batch of events to the inbox in one transaction, in stream order, together with the
 * new applied position of each partition. Exactly-once on top of Kafka's at-least-once: records at
 * or below a partition's applied position are skipped, and a notification is ignored when its user
 * already has its eventId from the same source (an eventId is the sender's own name for it, so
 * another user, or another sender, may use the same one).
 *
 * <p>Records that cannot be applied are recorded in {@code dead_letters} in the same transaction, so
 * each is dead-lettered exactly once however often its batch is retried or read again (see
 * {@link DeadLetters}, which forwards them to the DLT after the commit).
 */
@Component
class InboxWriter {

    private static final String INSERT = """
            INSERT INTO notifications (event_id, user_id, kafka_partition, kafka_offset, type, title, body, data,
                source, occurred_at_ms, accepted_at_ms, muted, actions, expires_at_ms, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String INSERT_KEY = """
            INSERT INTO notification_keys (user_id, counter_key, kafka_partition, kafka_offset) VALUES (?, ?, ?, ?)""";

    /** The positions of {@code herald.user-events}, also read by {@link AppliedPositions}. */
    static final String POSITIONS = "applied_positions";

    /** The dead letters of {@code herald.user-events}, forwarded by {@link DeadLetters}. */
    static final String DEAD_LETTERS = "dead_letters";

    /** Rows of the user's own notifications that precede the event in the stream. */
    private static final String BEFORE_THE_EVENT = " AND NOT (kafka_partition = :partition AND kafka_offset > :offset)";

    /** Expired notifications (V7) keep the state they had when they expired. */
    private static final String NOT_EXPIRED = " AND (expires_at_ms IS NULL OR expires_at_ms > :now)";

    /** Muted notifications (V9) never count: they arrived while their type was muted. */
    private static final String NOT_MUTED = " AND muted = 0";

    /** Only rows that are neither archived nor muted count (as unread, as unseen). */
    private static final String COUNTED = " AND archived_at_ms IS NULL" + NOT_MUTED;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final PositionsTable positions;
    private final DeadLetterTable deadLetterTable;
    private final ChannelReads channelReads;
    private final ChannelStates channelStates;
    private final UserPreferencesTable preferences;
    private final PreferencesPublisher preferencesPublisher;
    private final Clock clock;

    InboxWriter(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, Clock clock, StoreProperties properties,
            PreferencesPublisher preferencesPublisher) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.named = named;
        this.positions = new PositionsTable(POSITIONS, named);
        this.deadLetterTable = new DeadLetterTable(DEAD_LETTERS, jdbc, clock);
        this.channelReads = new ChannelReads(named, properties.inboxChannels());
        this.channelStates = new ChannelStates(named, clock, properties);
        this.preferences = new UserPreferencesTable(named);
        this.preferencesPublisher = preferencesPublisher;
    }

    /**
     * @param events valid events of the batch, in stream order
     * @param deadLetters records of the batch that cannot be applied
     * @param batchEnds per partition, the offset of the batch's last record (valid or not)
     * @return how many notifications were new, how many were already stored, and how many records
     *         were dead-lettered now (not before)
     */
    @Transactional
    Applied apply(List<PositionedEvent> events, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds) {
        PositionsTable.Locked applied = positions.lock(batchEnds.keySet());
        List<PositionedEvent> fresh = applied.fresh(events);
        // At or below the position, a record's dead letter was recorded (and maybe forwarded) already.
        List<DeadLetter> freshDeadLetters = applied.fresh(deadLetters);
        Set<Identity> stored = storedIdentities(fresh);
        UserPreferencesTable.InBatch sets = preferences.of(usersWithNotifications(fresh));
        Set<PositionedEvent> muted = Collections.newSetFromMap(new IdentityHashMap<>());
        List<PreferencesPublisher.Published> newSets = new ArrayList<>();
        Map<String, CountDelta> countDeltas = new HashMap<>();
        FilterCounts filterCounts = new FilterCounts();
        List<PositionedEvent> pending = new ArrayList<>();
        int inserted = 0;
        int duplicates = 0;
        for (PositionedEvent e : fresh) {
            if (e.event().kind() == EventKind.NOTIFICATION) {
                if (stored.add(Identity.of(e.event()))) {
                    pending.add(e);
                    // Muted on arrival: stored, never counted (a later unmute does not count it either).
                    if (sets.suppresses(e.event().userId(), e.event().type(), e.event().critical())) {
                        muted.add(e);
                    }
                    else {
                        countDeltas.merge(e.event().userId(), CountDelta.NEW, CountDelta::plus);
                        filterCounts.add(e.event().userId(), e.event().type(), e.event().tags(), 1, 1);
                    }
                }
                else {
                    duplicates++;
                }
                continue;
            }
            // A state change applies to what came before it: store pending rows first.
            inserted += insert(pending, muted);
            pending.clear();
            if (e.event().kind() == EventKind.PREFERENCES) {
                sets.replace(e.event().userId(), e.event().preferences(), e.offset(), e.event().occurredAt().toEpochMilli());
                newSets.add(new PreferencesPublisher.Published(e.partition(),
                        new PreferenceSnapshot(e.event().userId(), e.event().preferences(), e.offset())));
                continue;
            }
            CountDelta change = isItemState(e.event().kind()) ? applyItemState(e, filterCounts)
                    : new CountDelta(-markRead(e, filterCounts), 0);
            countDeltas.merge(e.event().userId(), change, CountDelta::plus);
        }
        inserted += insert(pending, muted);
        adjustCounts(countDeltas);
        filterCounts.write(jdbc, named);
        deadLetterTable.record(freshDeadLetters);
        applied.moveTo(batchEnds);
        preferencesPublisher.afterCommit(newSets);
        return new Applied(inserted, duplicates, freshDeadLetters.size());
    }

    /**
     * Which of the notifications among {@code events} are stored already: one look-up of whole keys
     * of {@code uk_notifications_user_event_source} (MariaDB's and H2's EXPLAIN show that index used
     * for a list of row values; MySQL's range optimizer takes them too).
     */
    private Set<Identity> storedIdentities(List<PositionedEvent> events) {
        List<Object[]> keys = events.stream()
                .filter(e -> e.event().kind() == EventKind.NOTIFICATION)
                .map(e -> new Object[] { e.event().userId(), e.event().eventId(), e.event().source() })
                .toList();
        Set<Identity> stored = new HashSet<>();
        if (!keys.isEmpty()) {
            named.query("SELECT user_id, event_id, source FROM notifications WHERE (user_id, event_id, source) IN (:keys)",
                    Map.of("keys", keys), rs -> {
                        stored.add(new Identity(rs.getString(1), rs.getString(2), rs.getString(3)));
                    });
        }
        return stored;
    }

    /**
     * What makes two notifications the same: one sender's eventId for one user. Compared byte for
     * byte, as the database compares these columns (V2).
     */
    private record Identity(String userId, String eventId, String source) {

        static Identity of(Envelope event) {
            return new Identity(event.userId(), event.eventId(), event.source());
        }
    }

    private static Set<String> usersWithNotifications(List<PositionedEvent> events) {
        Set<String> users = new HashSet<>();
        events.stream().filter(e -> e.event().kind() == EventKind.NOTIFICATION).forEach(e -> users.add(e.event().userId()));
        return users;
    }

    private int insert(List<PositionedEvent> rows, Set<PositionedEvent> muted) {
        if (rows.isEmpty()) {
            return 0;
        }
        jdbc.batchUpdate(INSERT, rows, rows.size(), (ps, row) -> {
            Envelope e = row.event();
            ps.setString(1, e.eventId());
            ps.setString(2, e.userId());
            ps.setInt(3, row.partition());
            ps.setLong(4, row.offset());
            ps.setString(5, e.type());
            ps.setString(6, e.title());
            ps.setString(7, e.body());
            ps.setString(8, e.data() == null ? null : e.data().toString());
            ps.setString(9, e.source());
            ps.setLong(10, e.occurredAt().toEpochMilli());
            ps.setLong(11, e.acceptedAt().toEpochMilli());
            ps.setInt(12, muted.contains(row) ? 1 : 0);
            ps.setString(13, e.actions().isEmpty() ? null : Actions.json(e.actions()));
            if (e.expiresAt() == null) {
                ps.setNull(14, Types.BIGINT);
            }
            else {
                ps.setLong(14, e.expiresAt().toEpochMilli());
            }
            ps.setString(15, FilterKeys.storedTags(e.tags()));
        });
        recordExpiries(rows);
        List<Object[]> keys = new ArrayList<>();
        for (PositionedEvent row : rows) {
            for (String key : FilterKeys.stored(row.event().type(), row.event().tags())) {
                keys.add(new Object[] { row.event().userId(), key, row.partition(), row.offset() });
            }
        }
        jdbc.batchUpdate(INSERT_KEY, keys);
        return rows.size();
    }

    /**
     * One row in {@code notification_expiries} for each of these notifications that expires (V7),
     * found by its identity: the insert did not return ids. Nothing at all for those that do not.
     */
    private void recordExpiries(List<PositionedEvent> rows) {
        List<Object[]> expiring = rows.stream()
                .map(PositionedEvent::event)
                .filter(e -> e.expiresAt() != null)
                .map(e -> new Object[] { e.userId(), e.eventId(), e.source() })
                .toList();
        // One statement, not a JDBC batch: MariaDB's bulk protocol refuses INSERT ... SELECT (error 1295).
        if (!expiring.isEmpty()) {
            named.update("""
                    INSERT INTO notification_expiries (user_id, expires_at_ms, notification_id)
                    SELECT user_id, expires_at_ms, id FROM notifications WHERE (user_id, event_id, source) IN (:keys)""",
                    Map.of("keys", expiring));
        }
    }

    /**
     * The number of the user's own notifications that went from unread to read (unread_counts);
     * inbox-channel messages are counted from their read state ({@link ChannelReads}). Expired
     * notifications are left alone: they are out of the count already (it subtracts them until the
     * retention job deletes them and takes them off unread_counts), and only that job changes them.
     */
    private int markRead(PositionedEvent e, FilterCounts counts) {
        long at = e.event().occurredAt().toEpochMilli();
        if (e.event().kind() == EventKind.READ && e.event().channel() != null) {
            channelReads.markRead(e.event().userId(), e.event().channel(), e.event().refs(), at);
            return 0;
        }
        if (e.event().kind() == EventKind.READ_ALL) {
            channelReads.markAllRead(e.event().userId(), at);
        }
        // Archived items are not counted as unread (archiving took them out), nor are muted ones (V9, never
        // counted): reading one changes no count.
        if (e.event().kind() == EventKind.READ) {
            return applied("read_at_ms = :at", "user_id = :user AND event_id IN (:ids) AND read_at_ms IS NULL",
                    COUNTED, Map.of("at", at, "user", e.event().userId(), "ids", e.event().refs()), counts, -1, 0).unread();
        }
        // read_all covers what precedes it in the stream, never a notification that came after it.
        return applied("read_at_ms = :at", "user_id = :user AND read_at_ms IS NULL" + BEFORE_THE_EVENT, COUNTED,
                Map.of("at", at, "user", e.event().userId(), "partition", e.partition(), "offset", e.offset()), counts, -1, 0)
                .unread();
    }

    private static boolean isItemState(EventKind kind) {
        return kind == EventKind.SEEN || kind == EventKind.SEEN_ALL || kind == EventKind.ARCHIVE
                || kind == EventKind.UNARCHIVE || kind == EventKind.ARCHIVE_ALL;
    }

    /**
     * Applies a seen, seen_all, archive, unarchive or archive_all event (issue 17) to the user's own
     * notifications and, through {@link ChannelStates}, to the inbox channels' messages; returns how
     * the user's counts change. The counts leave archived items out: archiving an unread (unseen)
     * item lowers unread (unseen), unarchiving it raises them again, and seeing or reading an
     * archived item changes neither. The all-kinds cover what precedes them in the stream only.
     */
    private CountDelta applyItemState(PositionedEvent e, FilterCounts counts) {
        Envelope event = e.event();
        long at = event.occurredAt().toEpochMilli();
        String user = event.userId();
        if (event.channel() != null) {
            switch (event.kind()) {
                case SEEN -> channelStates.markSeen(user, event.channel(), event.refs(), at);
                case ARCHIVE -> channelStates.archive(user, event.channel(), event.refs(), at);
                case UNARCHIVE -> channelStates.unarchive(user, event.channel(), event.refs());
                default -> throw new IllegalStateException("a " + event.kind().wireName() + " event names no channel");
            }
            return CountDelta.NONE;
        }
        Map<String, Object> refs = Map.of("at", at, "user", user, "ids", event.refs());
        Map<String, Object> before = Map.of("at", at, "user", user, "partition", e.partition(), "offset", e.offset());
        return switch (event.kind()) {
            case SEEN -> new CountDelta(0, -applied("seen_at_ms = :at",
                    "user_id = :user AND event_id IN (:ids) AND seen_at_ms IS NULL", COUNTED, refs, counts, 0, -1).unseen());
            case SEEN_ALL -> {
                channelStates.markAllSeen(user, at);
                yield new CountDelta(0, -applied("seen_at_ms = :at",
                        "user_id = :user AND seen_at_ms IS NULL" + BEFORE_THE_EVENT, COUNTED, before, counts, 0, -1).unseen());
            }
            case ARCHIVE -> applied("archived_at_ms = :at",
                    "user_id = :user AND event_id IN (:ids) AND archived_at_ms IS NULL", NOT_MUTED, refs, counts, -1, -1).negated();
            case UNARCHIVE -> applied("archived_at_ms = NULL",
                    "user_id = :user AND event_id IN (:ids) AND archived_at_ms IS NOT NULL", NOT_MUTED, refs, counts, 1, 1);
            case ARCHIVE_ALL -> {
                channelStates.archiveAll(user, event.scope(), at);
                String which = event.scope() == ArchiveScope.READ ? " AND read_at_ms IS NOT NULL" : "";
                yield applied("archived_at_ms = :at",
                        "user_id = :user AND archived_at_ms IS NULL" + which + BEFORE_THE_EVENT, NOT_MUTED, before, counts, -1, -1)
                        .negated();
            }
            default -> throw new IllegalStateException("not an item-state event: " + event.kind().wireName());
        };
    }

    /**
     * Sets {@code assignment} on the user's notifications that match {@code where}, and returns how
     * many of those that also match {@code counted} were unread and unseen before. The user's rows
     * change only through this partition's thread, so what the count reads is what the update changes.
     * The same query, grouped by type and tags, moves the per-filter counters ({@link FilterCounts}) by
     * those numbers times {@code unreadSign} and {@code unseenSign} (-1 lowers, 1 raises, 0 leaves
     * alone), so they change exactly as the user's whole count does.
     * Expired rows are left as they are: the retention job deletes them and takes off the counts what
     * they still held, and until then the counts' readers leave them out ({@code InboxRepository}).
     */
    private CountDelta applied(String assignment, String condition, String counted, Map<String, Object> params,
            FilterCounts counts, int unreadSign, int unseenSign) {
        String where = condition + NOT_EXPIRED;
        params = new HashMap<>(params);
        params.put("now", clock.millis());
        String user = (String) params.get("user");
        CountDelta[] before = { CountDelta.NONE };
        named.query("""
                SELECT type, tags, SUM(CASE WHEN read_at_ms IS NULL THEN 1 ELSE 0 END),
                       SUM(CASE WHEN seen_at_ms IS NULL THEN 1 ELSE 0 END)
                FROM notifications WHERE\s""" + where + counted + " GROUP BY type, tags", params, rs -> {
                    CountDelta group = new CountDelta(rs.getInt(3), rs.getInt(4));
                    before[0] = before[0].plus(group);
                    counts.add(user, rs.getString(1), FilterKeys.tagsOf(rs.getString(2)), unreadSign * group.unread(),
                            unseenSign * group.unseen());
                });
        named.update("UPDATE notifications SET " + assignment + " WHERE " + where, params);
        return before[0];
    }

    /** A change of a user's unread and unseen counts. */
    private record CountDelta(int unread, int unseen) {

        static final CountDelta NONE = new CountDelta(0, 0);
        static final CountDelta NEW = new CountDelta(1, 1);

        CountDelta plus(CountDelta other) {
            return new CountDelta(unread + other.unread, unseen + other.unseen);
        }

        CountDelta negated() {
            return new CountDelta(-unread, -unseen);
        }

        boolean isZero() {
            return unread == 0 && unseen == 0;
        }
    }

    /**
     * One batched update of the users' counts, then one batched insert of those the update did not
     * find. (A user's events all come through one partition, so no other writer inserts the same
     * user meanwhile. H2's {@code ON DUPLICATE KEY UPDATE} goes through an exception per existing
     * row, and its {@code IN (...)} checks each row against the whole list: each cost a quarter of
     * the store's CPU.) An update count is the rows found, as the drivers report by default (not
     * with MySQL's {@code useAffectedRows=true}). A driver that reports none (MariaDB with
     * {@code useBulkStmts}) makes it ask which of those users have a count.
     */
    private void adjustCounts(Map<String, CountDelta> deltas) {
        deltas.values().removeIf(CountDelta::isZero);
        if (deltas.isEmpty()) {
            return;
        }
        // In one order, as the retention job takes them, so the two never wait on each other in a cycle.
        List<String> users = new ArrayList<>(new TreeSet<>(deltas.keySet()));
        int[] updated = jdbc.batchUpdate("""
                UPDATE unread_counts SET unread = GREATEST(0, unread + ?), unseen = GREATEST(0, unseen + ?)
                WHERE user_id = ?""",
                users.stream().map(user -> new Object[] { deltas.get(user).unread(), deltas.get(user).unseen(), user }).toList());
        List<String> unknown = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            if (updated[i] == Statement.SUCCESS_NO_INFO) {
                unknown.add(users.get(i));
            }
            else if (updated[i] == 0) {
                missing.add(users.get(i));
            }
        }
        if (!unknown.isEmpty()) {
            Set<String> counted = new HashSet<>(named.queryForList("SELECT user_id FROM unread_counts WHERE user_id IN (:users)",
                    Map.of("users", unknown), String.class));
            unknown.stream().filter(user -> !counted.contains(user)).forEach(missing::add);
        }
        if (!missing.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO unread_counts (user_id, unread, unseen) VALUES (?, ?, ?)",
                    missing.stream().map(user -> new Object[] { user, Math.max(0, deltas.get(user).unread()),
                            Math.max(0, deltas.get(user).unseen()) }).toList());
        }
    }
}
