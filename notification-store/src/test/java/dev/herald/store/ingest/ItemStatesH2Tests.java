package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.flywaydb.core.Flyway;

import dev.herald.schema.ArchiveScope;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Envelope;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The writer's rules for seen and archived (issue 17, V6) on H2 in MySQL mode: the counts stay exact
 * in the transaction that applies each event, archived items count as neither unread nor unseen,
 * and the all-kinds cover only what precedes them in the stream.
 */
class ItemStatesH2Tests {

    private static final Instant AT = Instant.parse("2026-12-03T12:00:00.123Z");

    private JdbcTemplate jdbc;
    private InboxWriter writer;
    private long offset;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.systemUTC(), MigratedH2.properties(), MigratedH2.publisher());
    }

    @Test
    void aNewNotificationIsUnreadAndUnseenAndSeeingItLowersOnlyUnseen() {
        apply(notification("n1", "alice"), notification("n2", "alice"));
        assertThat(counts("alice")).containsExactly(2, 2);

        apply(Envelope.seen("s1", "alice", null, List.of("n1", "unknown"), AT, "s"));
        assertThat(counts("alice")).as("seen is not read").containsExactly(2, 1);
        apply(Envelope.seen("s2", "alice", null, List.of("n1"), AT, "s"));
        assertThat(counts("alice")).as("seeing it again changes nothing").containsExactly(2, 1);
        assertThat(jdbc.queryForList("SELECT event_id FROM notifications WHERE seen_at_ms = ?", String.class, AT.toEpochMilli()))
                .containsExactly("n1");
    }

    @Test
    void seenAllCoversWhatPrecedesItAndNotANotificationAfterItEvenInTheSameBatch() {
        apply(notification("n1", "bob"), notification("n2", "bob"), Envelope.seenAll("sa", "bob", AT, "s"),
                notification("n3", "bob"));

        assertThat(counts("bob")).containsExactly(3, 1);
        assertThat(jdbc.queryForList("SELECT event_id FROM notifications WHERE seen_at_ms IS NULL", String.class))
                .containsExactly("n3");
    }

    @Test
    void archivingTakesAnItemOutOfBothCountsAndUnarchivingPutsItBack() {
        apply(notification("n1", "carol"), notification("n2", "carol"), notification("n3", "carol"));
        apply(Envelope.read("r", "carol", List.of("n2"), AT, "s"), Envelope.seen("s", "carol", null, List.of("n3"), AT, "s"));
        assertThat(counts("carol")).containsExactly(2, 2);

        apply(Envelope.archive("a1", "carol", null, List.of("n1"), AT, "s"));
        assertThat(counts("carol")).as("n1 was unread and unseen").containsExactly(1, 1);
        apply(Envelope.archive("a2", "carol", null, List.of("n2", "n3"), AT, "s"));
        assertThat(counts("carol")).as("n2 read and unseen, n3 unread and seen").containsExactly(0, 0);
        apply(Envelope.archive("a3", "carol", null, List.of("n1"), AT, "s"));
        assertThat(counts("carol")).as("archiving twice changes nothing").containsExactly(0, 0);

        apply(Envelope.read("r2", "carol", List.of("n1"), AT, "s"), Envelope.seen("s2", "carol", null, List.of("n1"), AT, "s"));
        assertThat(counts("carol")).as("reading and seeing an archived item moves no count").containsExactly(0, 0);

        apply(Envelope.unarchive("u1", "carol", null, List.of("n1", "n3"), AT, "s"));
        assertThat(counts("carol")).as("n1 is read and seen by now; n3 unread and seen").containsExactly(1, 0);
        apply(Envelope.unarchive("u2", "carol", null, List.of("n3"), AT, "s"));
        assertThat(counts("carol")).as("unarchiving twice changes nothing").containsExactly(1, 0);
        assertThat(jdbc.queryForList("SELECT event_id FROM notifications WHERE archived_at_ms IS NOT NULL", String.class))
                .containsExactly("n2");
    }

    @Test
    void readAllLeavesTheCountsOfArchivedItemsAlone() {
        apply(notification("n1", "dave"), notification("n2", "dave"), Envelope.archive("a", "dave", null, List.of("n1"), AT, "s"));
        apply(Envelope.readAll("ra", "dave", AT, "s"));

        assertThat(counts("dave")).containsExactly(0, 1);
        apply(Envelope.unarchive("u", "dave", null, List.of("n1"), AT, "s"));
        assertThat(counts("dave")).as("read-all read the archived one too").containsExactly(0, 2);
    }

    @Test
    void archiveAllReadArchivesOnlyReadItemsBeforeIt() {
        apply(notification("n1", "erin"), notification("n2", "erin"), Envelope.read("r", "erin", List.of("n1"), AT, "s"),
                Envelope.archiveAll("aa", "erin", ArchiveScope.READ, AT, "s"),
                notification("n3", "erin"), Envelope.read("r2", "erin", List.of("n3"), AT, "s"));

        assertThat(archived("erin")).as("n2 is unread, n3 came after the archive-all").containsExactly("n1");
        assertThat(counts("erin")).containsExactly(1, 2);
    }

    @Test
    void archiveAllArchivesEverythingBeforeItAndNothingAfter() {
        apply(notification("n1", "frank"), notification("n2", "frank"));
        apply(Envelope.archiveAll("aa", "frank", ArchiveScope.ALL, AT, "s"), notification("n3", "frank"));

        assertThat(archived("frank")).containsExactlyInAnyOrder("n1", "n2");
        assertThat(counts("frank")).containsExactly(1, 1);
    }

    @Test
    void aUserWithoutACountRowGetsOneFromAnUnarchive() {
        // A notification read and archived in the batch that brought it leaves its user's count at zero, never written.
        apply(notification("n1", "gina"), Envelope.archive("a", "gina", null, List.of("n1"), AT, "s"));
        assertThat(jdbc.queryForList("SELECT unread FROM unread_counts WHERE user_id = 'gina'", Integer.class)).isEmpty();

        apply(Envelope.unarchive("u", "gina", null, List.of("n1"), AT, "s"));
        assertThat(counts("gina")).containsExactly(1, 1);
    }

    @Test
    void inboxChannelMessagesGetSeenMarksAndArchiveRowsForTheUserOnly() {
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc.getDataSource());
        Instant recent = Instant.now();
        new ChannelWriter(jdbc, named, Clock.systemUTC()).apply(List.of(
                new PositionedMessage(ChannelMessage.of("alert-1", "system", "maintenance", "Tonight", "", null, recent, recent, "ops"), 3, 10),
                new PositionedMessage(ChannelMessage.of("alert-2", "system", "maintenance", "Again", "", null, recent, recent, "ops"), 3, 11),
                new PositionedMessage(ChannelMessage.of("alert-3", "system", "maintenance", "More", "", null, recent, recent, "ops"), 3, 12)),
                List.of(), Map.of(3, 12L));

        apply(Envelope.seen("s1", "alice", "system", List.of("alert-1", "unknown"), AT, "s"),
                Envelope.seen("s2", "alice", "system", List.of("alert-1"), AT, "s"),
                Envelope.archive("a1", "alice", "system", List.of("alert-2"), AT, "s"),
                Envelope.archive("a2", "alice", "system", List.of("alert-2"), AT, "s"),
                Envelope.seenAll("sa", "bob", AT, "s"));

        assertThat(rows("channel_seen")).containsExactly("alice@10");
        assertThat(rows("channel_archives")).containsExactly("alice@11");
        assertThat(jdbc.queryForList("SELECT user_id, seen_up_to FROM channel_seen_marks"))
                .extracting(row -> row.get("user_id") + "@" + row.get("seen_up_to")).containsExactly("bob@12");

        apply(Envelope.unarchive("u1", "alice", "system", List.of("alert-2"), AT, "s"));
        assertThat(rows("channel_archives")).isEmpty();

        apply(Envelope.readChannel("r1", "carol", "system", List.of("alert-3"), AT, "s"),
                Envelope.archiveAll("aa", "carol", ArchiveScope.READ, AT, "s"));
        assertThat(rows("channel_archives")).as("archive-all read: carol's one read message").containsExactly("carol@12");
        apply(Envelope.archiveAll("aa2", "carol", ArchiveScope.ALL, AT, "s"));
        assertThat(rows("channel_archives")).as("archive-all: every message of the window, once")
                .containsExactlyInAnyOrder("carol@10", "carol@11", "carol@12");
        assertThat(counts("carol")).as("own counts untouched by channel states").isEmpty();
    }

    @Test
    void theMigrationStartsWhatWasReadBeforeItAsSeen() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        assertThat(Flyway.configure().dataSource(dataSource).target("5").load().migrate().success).isTrue();
        JdbcTemplate v5 = new JdbcTemplate(dataSource);
        for (String[] row : new String[][] { { "n1", "hal", "1" }, { "n2", "hal", null }, { "n3", "ida", "3" } }) {
            v5.update("""
                    INSERT INTO notifications (event_id, user_id, kafka_partition, kafka_offset, type, title, body, source,
                        occurred_at_ms, accepted_at_ms, read_at_ms)
                    VALUES (?, ?, 0, 0, 'chat.message', 'Hi', '', 'it', 0, 0, ?)""", row[0], row[1], row[2]);
        }
        v5.update("INSERT INTO unread_counts (user_id, unread) VALUES ('hal', 1), ('ida', 0)");
        v5.update("INSERT INTO channel_read_marks (user_id, channel, read_up_to, read_at_ms) VALUES ('hal', 'system', 7, 5)");

        assertThat(Flyway.configure().dataSource(dataSource).load().migrate().success).isTrue();

        assertThat(v5.queryForList("SELECT event_id, seen_at_ms FROM notifications ORDER BY event_id"))
                .extracting(row -> row.get("event_id") + "@" + row.get("seen_at_ms")).containsExactly("n1@1", "n2@null", "n3@3");
        assertThat(v5.queryForList("SELECT user_id, unread, unseen FROM unread_counts ORDER BY user_id"))
                .extracting(row -> row.get("user_id") + ":" + row.get("unread") + "/" + row.get("unseen"))
                .as("unseen starts as unread").containsExactly("hal:1/1", "ida:0/0");
        assertThat(v5.queryForObject("SELECT seen_up_to FROM channel_seen_marks WHERE user_id = 'hal'", Long.class)).isEqualTo(7L);
        assertThat(v5.queryForObject("SELECT COUNT(*) FROM notifications WHERE archived_at_ms IS NOT NULL", Integer.class)).isZero();
    }

    /** Applies the events as one batch, at the next offsets of partition 0. */
    private void apply(Envelope... events) {
        List<PositionedEvent> batch = new ArrayList<>();
        for (Envelope event : events) {
            batch.add(new PositionedEvent(event, 0, offset++));
        }
        writer.apply(batch, List.of(), Map.of(0, offset - 1));
    }

    private static Envelope notification(String id, String user) {
        return Envelope.notification(id, user, "chat.message", "Hi " + id, "", null, AT, AT, "it");
    }

    /** The user's unread and unseen counts, or nothing when the user has no count row. */
    private List<Integer> counts(String user) {
        return jdbc.query("SELECT unread, unseen FROM unread_counts WHERE user_id = ?",
                (rs, row) -> List.of(rs.getInt(1), rs.getInt(2)), user).stream().findFirst().orElse(List.of());
    }

    private List<String> archived(String user) {
        return jdbc.queryForList("SELECT event_id FROM notifications WHERE user_id = ? AND archived_at_ms IS NOT NULL",
                String.class, user);
    }

    private List<String> rows(String table) {
        return jdbc.queryForList("SELECT user_id, kafka_offset FROM " + table).stream()
                .map(row -> row.get("user_id") + "@" + row.get("kafka_offset")).toList();
    }
}
