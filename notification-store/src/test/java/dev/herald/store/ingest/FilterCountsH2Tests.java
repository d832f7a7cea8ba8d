package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.flywaydb.core.Flyway;

import dev.herald.schema.ArchiveScope;
import dev.herald.schema.Envelope;
import dev.herald.schema.Preferences;
import dev.herald.store.filters.FilterKeys;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The per-filter counters (V10) on H2 in MySQL mode: after any sequence of notifications and state
 * changes, each user's {@code inbox_counts} equal a recount from the rows, and the key rows are
 * exactly those the rows' types and tags give.
 */
class FilterCountsH2Tests {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00.123Z");
    private static final List<String> TYPES = List.of("order.shipped", "order.shipped.late", "order.paid", "orders.new",
            "chat", "chat.message");
    private static final List<String> TAGS = List.of("vip", "eu", "b2b");
    private static final List<String> PREFIXES = List.of("type:order.*", "type:order.shipped.*", "type:orders.*", "type:chat.*");
    private static final List<String> USERS = List.of("ann", "ben");
    /** Mutes order.shipped and its subtypes, with chat.message allowed: some notifications arrive muted, uncounted. */
    private static final Preferences MUTES = new Preferences(List.of(new Preferences.Rule("order.shipped.*", true),
            new Preferences.Rule("order.shipped", true), new Preferences.Rule("chat", true),
            new Preferences.Rule("chat.message", false)));

    private JdbcTemplate jdbc;
    private InboxWriter writer;
    private long offset;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.systemUTC(), MigratedH2.properties(),
                MigratedH2.publisher());
    }

    @Test
    void aNotificationCountsUnderItsTypeAndItsTagsAndItsPrefixesAsTheirRanges() {
        apply(Envelope.notification("n1", "ann", "order.shipped.late", "T", "", null, AT, AT, "s", List.of("vip", "eu")));
        apply(Envelope.notification("n2", "ann", "order.paid", "T", "", null, AT, AT, "s", List.of()));
        apply(Envelope.notification("n3", "ann", "orders.new", "T", "", null, AT, AT, "s", List.of()));
        assertThat(counters("ann")).isEqualTo(Map.of("type:order.shipped.late", List.of(1, 1), "type:order.paid", List.of(1, 1),
                "type:orders.new", List.of(1, 1), "tag:vip", List.of(1, 1), "tag:eu", List.of(1, 1)));
        assertThat(prefixCount("ann", "type:order.*")).isEqualTo(List.of(2, 2));
        assertThat(prefixCount("ann", "type:order.shipped.*")).isEqualTo(List.of(1, 1));
        assertThat(jdbc.queryForObject("SELECT tags FROM notifications WHERE event_id = 'n1'", String.class)).isEqualTo("vip eu");
        assertThat(keyRows("ann")).as("one row per exact type and tag, none per prefix")
                .containsExactly("tag:eu@0", "tag:vip@0", "type:order.paid@1", "type:order.shipped.late@0", "type:orders.new@2");

        apply(Envelope.read("r", "ann", List.of("n1"), AT, "s"));
        assertThat(prefixCount("ann", "type:order.*")).isEqualTo(List.of(1, 2));
        assertThat(counters("ann")).containsEntry("tag:eu", List.of(0, 1));
        apply(Envelope.archive("a", "ann", null, List.of("n1", "n2", "n3"), AT, "s"));
        assertThat(counters("ann")).as("archived: in no count").isEmpty();
        apply(Envelope.unarchive("u", "ann", null, List.of("n1"), AT, "s"));
        assertThat(prefixCount("ann", "type:order.*")).isEqualTo(List.of(0, 1));
        assertThat(counters("ann")).containsEntry("tag:vip", List.of(0, 1));
    }

    @Test
    void aDuplicateNotificationCountsOnce() {
        Envelope n = Envelope.notification("n1", "ann", "chat", "T", "", null, AT, AT, "s", List.of("vip"));
        apply(n, n);
        apply(n);
        assertThat(counters("ann")).isEqualTo(Map.of("type:chat", List.of(1, 1), "tag:vip", List.of(1, 1)));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notification_keys", Integer.class)).isEqualTo(2);
    }

    @Test
    void theMigrationGivesNotificationsStoredBeforeItTheirKeysAndCounters() {
        DriverManagerDataSource dataSource = migratedTo("9");
        Object[][] rows = { { "n1", "ann", 1, "order.shipped.late", null, null, null, 0 },
            { "n2", "ann", 2, "order.paid", 5L, null, null, 0 }, { "n3", "ann", 3, "order.paid", null, null, 7L, 0 },
            { "n4", "ann", 4, "order.promo", null, null, null, 1 }, { "n5", "ann", 5, "chat", null, 5L, null, 0 },
            { "n6", "ben", 1, "order.paid", null, null, null, 0 } };
        for (Object[] row : rows) {
            jdbc.update("""
                    INSERT INTO notifications (event_id, user_id, kafka_partition, kafka_offset, type, title, body, source,
                        occurred_at_ms, accepted_at_ms, read_at_ms, seen_at_ms, archived_at_ms, muted)
                    VALUES (?, ?, 0, ?, ?, 'T', '', 'it', 0, 0, ?, ?, ?, ?)""", row);
        }

        assertThat(Flyway.configure().dataSource(dataSource).load().migrate().success).isTrue();

        for (String user : USERS) {
            assertThat(counters(user)).as(user).isEqualTo(recount(user));
            assertThat(keyRows(user)).as(user).isEqualTo(expectedKeyRows(user));
        }
        assertThat(prefixCount("ann", "type:order.*")).isEqualTo(List.of(1, 2));
        assertThat(prefixCount("ann", "type:order.shipped.*")).isEqualTo(List.of(1, 1));
    }

    @Test
    void v11RemovesThePrefixRowsEarlierVersionsKept() {
        DriverManagerDataSource dataSource = migratedTo("10.1");
        for (String key : List.of("type:order.paid", "type:order.*", "tag:vip")) {
            jdbc.update("INSERT INTO notification_keys (user_id, counter_key, kafka_partition, kafka_offset) VALUES ('ann', ?, 0, 1)", key);
            jdbc.update("INSERT INTO inbox_counts (user_id, counter_key, unread, unseen) VALUES ('ann', ?, 1, 1)", key);
        }

        assertThat(Flyway.configure().dataSource(dataSource).load().migrate().success).isTrue();

        assertThat(keyRows("ann")).containsExactly("tag:vip@1", "type:order.paid@1");
        assertThat(counters("ann")).isEqualTo(Map.of("type:order.paid", List.of(1, 1), "tag:vip", List.of(1, 1)));
    }

    /**
     * Property-style: random sequences of every kind of event (preference sets that mute some types
     * included), batched at random; counters equal a recount of the counted rows after each batch,
     * and their sum over types equals unread_counts.
     */
    @Test
    void countersEqualARecountFromTheRowsAfterAnySequenceOfEvents() {
        for (long seed = 1; seed <= 25; seed++) {
            migrateAFreshDatabase();
            Random random = new Random(seed);
            List<List<String>> ids = List.of(new ArrayList<>(), new ArrayList<>());
            for (int step = 0; step < 30; step++) {
                List<Envelope> batch = new ArrayList<>();
                for (int i = random.nextInt(4) + 1; i > 0; i--) {
                    batch.add(randomEvent(random, ids, step * 10 + i));
                }
                apply(batch.toArray(Envelope[]::new));
                for (String user : USERS) {
                    assertThat(counters(user)).as("seed %d step %d user %s", seed, step, user).isEqualTo(recount(user));
                    assertThat(keyRows(user)).as("seed %d step %d user %s keys", seed, step, user).isEqualTo(expectedKeyRows(user));
                    assertThat(exactTypeSums(user)).as("seed %d step %d user %s: types sum to unread_counts", seed, step, user)
                            .isEqualTo(unreadCounts(user));
                    for (String prefix : PREFIXES) {
                        assertThat(prefixCount(user, prefix)).as("seed %d step %d user %s %s", seed, step, user, prefix)
                                .isEqualTo(recountOf(user, prefix));
                    }
                }
            }
        }
    }

    private static Envelope randomEvent(Random random, List<List<String>> ids, int n) {
        int u = random.nextInt(USERS.size());
        String user = USERS.get(u);
        List<String> known = ids.get(u);
        int kind = known.isEmpty() ? 0 : random.nextInt(10);
        String id = "e" + n;
        return switch (kind) {
            case 0, 1, 2, 3 -> {
                String eventId = !known.isEmpty() && random.nextInt(8) == 0 ? known.get(random.nextInt(known.size())) : "n" + n;
                known.add(eventId);
                List<String> tags = new ArrayList<>();
                TAGS.stream().filter(t -> random.nextInt(3) == 0).forEach(tags::add);
                yield Envelope.notification(eventId, user, TYPES.get(random.nextInt(TYPES.size())), "T", "", null, AT, AT,
                        "s", tags);
            }
            case 4 -> Envelope.read(id, user, pick(random, known), AT, "s");
            case 5 -> Envelope.seen(id, user, null, pick(random, known), AT, "s");
            case 6 -> Envelope.archive(id, user, null, pick(random, known), AT, "s");
            case 7 -> Envelope.unarchive(id, user, null, pick(random, known), AT, "s");
            case 8 -> switch (random.nextInt(4)) {
                case 0 -> Envelope.readAll(id, user, AT, "s");
                case 1 -> Envelope.seenAll(id, user, AT, "s");
                case 2 -> Envelope.archiveAll(id, user, ArchiveScope.READ, AT, "s");
                default -> Envelope.archiveAll(id, user, ArchiveScope.ALL, AT, "s");
            };
            default -> random.nextBoolean() ? Envelope.preferences(id, user, MUTES, AT, "s")
                    : Envelope.preferences(id, user, Preferences.NONE, AT, "s");
        };
    }

    private static List<String> pick(Random random, List<String> known) {
        List<String> refs = new ArrayList<>();
        for (int i = random.nextInt(3) + 1; i > 0; i--) {
            refs.add(known.get(random.nextInt(known.size())));
        }
        return refs;
    }

    /** A fresh H2 database migrated up to {@code target}, which {@link #jdbc} then uses. */
    private DriverManagerDataSource migratedTo(String target) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        assertThat(Flyway.configure().dataSource(dataSource).target(target).load().migrate().success).isTrue();
        jdbc = new JdbcTemplate(dataSource);
        return dataSource;
    }

    private void apply(Envelope... events) {
        List<PositionedEvent> batch = new ArrayList<>();
        for (Envelope event : events) {
            batch.add(new PositionedEvent(event, 0, offset++));
        }
        writer.apply(batch, List.of(), Map.of(0, offset - 1));
    }

    /** The user's counters, leaving out those at zero (a counter that went back to zero may stay as a row). */
    private Map<String, List<Integer>> counters(String user) {
        Map<String, List<Integer>> counters = new TreeMap<>();
        jdbc.query("SELECT counter_key, unread, unseen FROM inbox_counts WHERE user_id = ?", rs -> {
            if (rs.getInt(2) != 0 || rs.getInt(3) != 0) {
                counters.put(rs.getString(1), List.of(rs.getInt(2), rs.getInt(3)));
            }
        }, user);
        return counters;
    }

    private Map<String, List<Integer>> recount(String user) {
        Map<String, int[]> counts = new TreeMap<>();
        jdbc.query("SELECT type, tags, read_at_ms IS NULL, seen_at_ms IS NULL FROM notifications"
                + " WHERE user_id = ? AND archived_at_ms IS NULL AND muted = 0", rs -> {
                    for (String key : FilterKeys.stored(rs.getString(1), FilterKeys.tagsOf(rs.getString(2)))) {
                        int[] c = counts.computeIfAbsent(key, k -> new int[2]);
                        c[0] += rs.getBoolean(3) ? 1 : 0;
                        c[1] += rs.getBoolean(4) ? 1 : 0;
                    }
                }, user);
        Map<String, List<Integer>> recount = new TreeMap<>();
        counts.forEach((key, c) -> {
            if (c[0] != 0 || c[1] != 0) {
                recount.put(key, List.of(c[0], c[1]));
            }
        });
        return recount;
    }

    /** A prefix's count as the store reads it: the sum of the counters in its range of keys. */
    private List<Integer> prefixCount(String user, String prefix) {
        return jdbc.queryForObject("""
                SELECT COALESCE(SUM(unread), 0), COALESCE(SUM(unseen), 0) FROM inbox_counts
                WHERE user_id = ? AND counter_key >= ? AND counter_key < ?""",
                (rs, row) -> List.of(rs.getInt(1), rs.getInt(2)), user, FilterKeys.rangeStart(prefix), FilterKeys.rangeEnd(prefix));
    }

    /** What a prefix should count, from the rows: the counted ones whose type it matches. */
    private List<Integer> recountOf(String user, String prefix) {
        int[] c = new int[2];
        jdbc.query("SELECT type, read_at_ms IS NULL, seen_at_ms IS NULL FROM notifications"
                + " WHERE user_id = ? AND archived_at_ms IS NULL AND muted = 0", rs -> {
                    if (FilterKeys.matching(rs.getString(1), List.of()).contains(prefix)) {
                        c[0] += rs.getBoolean(2) ? 1 : 0;
                        c[1] += rs.getBoolean(3) ? 1 : 0;
                    }
                }, user);
        return List.of(c[0], c[1]);
    }

    /** The exact-type counters summed: every counted notification has exactly one type key. */
    private List<Integer> exactTypeSums(String user) {
        int[] sum = new int[2];
        counters(user).forEach((key, c) -> {
            if (key.startsWith("type:")) {
                sum[0] += c.get(0);
                sum[1] += c.get(1);
            }
        });
        return List.of(sum[0], sum[1]);
    }

    private List<Integer> unreadCounts(String user) {
        return jdbc.query("SELECT unread, unseen FROM unread_counts WHERE user_id = ?",
                (rs, row) -> List.of(rs.getInt(1), rs.getInt(2)), user).stream().findFirst().orElse(List.of(0, 0));
    }

    private List<String> keyRows(String user) {
        return jdbc.queryForList("SELECT CONCAT(counter_key, '@', kafka_offset) FROM notification_keys WHERE user_id = ?"
                + " ORDER BY 1", String.class, user);
    }

    private List<String> expectedKeyRows(String user) {
        List<String> rows = new ArrayList<>();
        jdbc.query("SELECT type, tags, kafka_offset FROM notifications WHERE user_id = ?", rs -> {
            for (String key : FilterKeys.stored(rs.getString(1), FilterKeys.tagsOf(rs.getString(2)))) {
                rows.add(key + "@" + rs.getLong(3));
            }
        }, user);
        return rows.stream().sorted().toList();
    }
}
