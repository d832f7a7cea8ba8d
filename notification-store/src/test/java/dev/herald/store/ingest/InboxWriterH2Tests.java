package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Envelope;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The migrations and the writer's SQL on H2 in MySQL mode, the local stack's default database.
 * (MariaDB is covered by the integration tests.)
 */
class InboxWriterH2Tests {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");

    private JdbcTemplate jdbc;
    private InboxWriter writer;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.systemUTC(), MigratedH2.properties(), MigratedH2.publisher());
    }

    @Test
    void appliesNotificationsAndReadStateInStreamOrder() {
        Applied applied = writer.apply(List.of(
                notification("n1", "alice", 0),
                notification("n2", "alice", 1),
                new PositionedEvent(Envelope.read("r1", "alice", List.of("n1"), AT, "s"), 0, 2),
                notification("n3", "alice", 3),
                notification("m1", "Alice", 4)), List.of(), Map.of(0, 4L));

        assertThat(applied).isEqualTo(new Applied(4, 0, 0));
        assertThat(unread("alice")).isEqualTo(2);
        assertThat(unread("Alice")).as("user ids are case-sensitive, like Kafka keys").isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT event_id FROM notifications WHERE read_at_ms IS NOT NULL", String.class))
                .containsExactly("n1");

        writer.apply(List.of(new PositionedEvent(Envelope.readAll("ra", "alice", AT, "s"), 0, 5), notification("n4", "alice", 6)),
                List.of(), Map.of(0, 6L));

        assertThat(unread("alice")).as("n4 came after read-all").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT applied_offset FROM applied_positions WHERE kafka_partition = 0", Long.class))
                .isEqualTo(6L);
    }

    @Test
    void redeliveredAndDuplicatedEventsChangeNothing() {
        List<PositionedEvent> batch = List.of(notification("n1", "bob", 0), notification("n2", "bob", 1));
        writer.apply(batch, List.of(), Map.of(0, 1L));

        assertThat(writer.apply(batch, List.of(), Map.of(0, 1L))).as("redelivered batch: skipped by offset")
                .isEqualTo(new Applied(0, 0, 0));
        assertThat(writer.apply(List.of(notification("n1", "bob", 2)), List.of(), Map.of(0, 2L))).as("same event, new offset")
                .isEqualTo(new Applied(0, 1, 0));
        assertThat(unread("bob")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications", Integer.class)).isEqualTo(2);
    }

    @Test
    void anEventIdIsADuplicateOnlyForTheSameUserFromTheSameSource() {
        Applied applied = writer.apply(List.of(
                notification("order-42", "erin", "shop", 0),
                notification("order-42", "frank", "shop", 1),
                notification("order-42", "erin", "billing", 2),
                notification("order-42", "erin", "shop", 3)), List.of(), Map.of(0, 3L));
        Applied later = writer.apply(List.of(
                notification("order-42", "frank", "shop", 4),
                notification("order-42", "frank", "Shop", 5)), List.of(), Map.of(0, 5L));

        assertThat(applied).isEqualTo(new Applied(3, 1, 0));
        assertThat(later).as("sources are compared byte for byte, like user ids").isEqualTo(new Applied(1, 1, 0));
        assertThat(unread("erin")).isEqualTo(2);
        assertThat(unread("frank")).isEqualTo(2);

        writer.apply(List.of(new PositionedEvent(Envelope.read("r1", "erin", List.of("order-42"), AT, "s"), 0, 6)), List.of(), Map.of(0, 6L));

        assertThat(unread("erin")).as("read marks every one of the user's notifications with that id").isZero();
        assertThat(unread("frank")).isEqualTo(2);
    }

    @Test
    void unreadCountsAreRightWhenTheDriverReportsNoUpdateCounts() {
        // MariaDB's driver with useBulkStmts answers a batch with SUCCESS_NO_INFO for every statement.
        JdbcTemplate noCounts = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
                super.batchUpdate(sql, batchArgs);
                return batchArgs.stream().mapToInt(args -> Statement.SUCCESS_NO_INFO).toArray();
            }
        };
        InboxWriter writer = new InboxWriter(noCounts, new NamedParameterJdbcTemplate(jdbc.getDataSource()), Clock.systemUTC(), MigratedH2.properties(), MigratedH2.publisher());
        writer.apply(List.of(notification("n1", "carol", 0)), List.of(), Map.of(0, 0L));
        writer.apply(List.of(notification("n2", "carol", 1), notification("n3", "dave", 2)), List.of(), Map.of(0, 2L));

        assertThat(unread("carol")).isEqualTo(2);
        assertThat(unread("dave")).isEqualTo(1);
    }

    @Test
    void readsOfInboxChannelMessagesAddRowsOnlyForTheReaderAndReadAllMarksTheChannel() {
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc.getDataSource());
        new ChannelWriter(jdbc, named, Clock.systemUTC()).apply(List.of(
                new PositionedMessage(ChannelMessage.of("alert-1", "system", "maintenance", "Tonight", "", null, AT, AT, "ops"), 3, 10),
                new PositionedMessage(ChannelMessage.of("alert-2", "system", "maintenance", "Again", "", null, AT, AT, "ops"), 3, 11)),
                List.of(), Map.of(3, 11L));

        writer.apply(List.of(
                new PositionedEvent(Envelope.readChannel("r1", "alice", "system", List.of("alert-1", "unknown"), AT, "s"), 0, 0),
                new PositionedEvent(Envelope.readChannel("r2", "alice", "system", List.of("alert-1"), AT, "s"), 0, 1),
                new PositionedEvent(Envelope.read("r3", "bob", List.of("alert-1"), AT, "s"), 0, 2)), List.of(), Map.of(0, 2L));

        assertThat(jdbc.queryForList("SELECT user_id, kafka_offset FROM channel_reads"))
                .as("one row, for the one reader; a second read of it and a read of own notifications add none")
                .extracting(row -> row.get("user_id") + "@" + row.get("kafka_offset")).containsExactly("alice@10");

        writer.apply(List.of(new PositionedEvent(Envelope.readAll("ra", "bob", AT, "s"), 0, 3)), List.of(), Map.of(0, 3L));
        writer.apply(List.of(new PositionedEvent(Envelope.readChannel("r4", "bob", "system", List.of("alert-2"), AT, "s"), 0, 4)),
                List.of(), Map.of(0, 4L));

        assertThat(jdbc.queryForList("SELECT user_id, channel, read_up_to FROM channel_read_marks"))
                .extracting(row -> row.get("user_id") + "/" + row.get("channel") + "@" + row.get("read_up_to"))
                .containsExactly("bob/system@11");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM channel_reads WHERE user_id = 'bob'", Integer.class))
                .as("a message under the read-all mark needs no row").isZero();
    }

    private static PositionedEvent notification(String id, String user, long offset) {
        return notification(id, user, "it", offset);
    }

    private static PositionedEvent notification(String id, String user, String source, long offset) {
        return new PositionedEvent(Envelope.notification(id, user, "chat.message", "Hi " + id, "", null, AT, AT, source), 0, offset);
    }

    private int unread(String user) {
        return jdbc.queryForObject("SELECT unread FROM unread_counts WHERE user_id = ?", Integer.class, user);
    }
}
