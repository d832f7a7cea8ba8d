package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Envelope;
import dev.herald.schema.NotificationAction;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The writer's side of actions and expiry (V7), on H2 in MySQL mode. */
class InboxWriterExpiryH2Tests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private JdbcTemplate jdbc;
    private InboxWriter writer;
    private long offset = 100;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.fixed(NOW, ZoneOffset.UTC),
                MigratedH2.properties(), MigratedH2.publisher());
    }

    @Test
    void storesActionsAsJsonAndGivesOnlyExpiringNotificationsAnExpiryRow() {
        apply(notification("e1", List.of(NotificationAction.link("open", "Open", "https://x.example/1"),
                NotificationAction.named("archive", "Archive", "archive")), NOW.plusSeconds(60)),
                notification("e2", List.of(), null));

        assertThat(jdbc.queryForObject("SELECT actions FROM notifications WHERE event_id = 'e1'", String.class))
                .isEqualTo("[{\"id\":\"open\",\"label\":\"Open\",\"url\":\"https://x.example/1\"},"
                        + "{\"id\":\"archive\",\"label\":\"Archive\",\"action\":\"archive\"}]");
        assertThat(jdbc.queryForObject("SELECT actions FROM notifications WHERE event_id = 'e2'", String.class)).isNull();
        assertThat(jdbc.queryForList("SELECT expires_at_ms FROM notification_expiries WHERE user_id = 'alice'", Long.class))
                .containsExactly(NOW.plusSeconds(60).toEpochMilli());
    }

    @Test
    void markReadLeavesExpiredNotificationsAloneTheirCountIsTheSweepsToChange() {
        apply(notification("gone", List.of(), NOW.minusSeconds(1)), notification("live", List.of(), NOW.plusSeconds(60)));
        assertThat(unread()).isEqualTo(2);

        apply(Envelope.read("r1", "alice", List.of("gone", "live"), NOW, "store"));

        assertThat(jdbc.queryForList("SELECT event_id FROM notifications WHERE read_at_ms IS NULL", String.class))
                .containsExactly("gone");
        assertThat(unread()).as("only live went from unread to read").isEqualTo(1);
        apply(Envelope.readAll("ra1", "alice", NOW, "store"));
        assertThat(unread()).isEqualTo(1);
    }

    private Envelope notification(String eventId, List<NotificationAction> actions, Instant expiresAt) {
        return Envelope.notification(eventId, "alice", "t", "T", "", null, NOW, NOW, "shop", actions, expiresAt);
    }

    private void apply(Envelope... events) {
        List<PositionedEvent> positioned = new ArrayList<>();
        for (Envelope event : events) {
            positioned.add(new PositionedEvent(event, 0, offset++));
        }
        writer.apply(positioned, List.of(), Map.of(0, offset - 1));
    }

    private int unread() {
        return jdbc.queryForObject("SELECT unread FROM unread_counts WHERE user_id = 'alice'", Integer.class);
    }
}
