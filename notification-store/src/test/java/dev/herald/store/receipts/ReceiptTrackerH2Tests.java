package dev.herald.store.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Envelope;
import dev.herald.store.ingest.MigratedH2;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tracker's SQL (V8) and its due-time rules on H2 in MySQL mode, the local stack's default
 * (MariaDB is covered by ReceiptsIntegrationTests). The webhook points at a closed port, so every
 * raised alert shows up as a delivery whose first attempt failed.
 */
class ReceiptTrackerH2Tests {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    private JdbcTemplate jdbc;
    private Watches watches;
    private AlertScheduler scheduler;
    private Instant now = T0;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        watches = new Watches(jdbc, new NamedParameterJdbcTemplate(dataSource));
        ReceiptsProperties properties = new ReceiptsProperties(true, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofHours(1), Duration.ofSeconds(1), 100, false, new ReceiptsProperties.Webhook("http://127.0.0.1:1/hook",
                        "0123456789abcdef", Duration.ofSeconds(2), 3, Duration.ofSeconds(1), Duration.ofSeconds(10)));
        ReceiptsMetrics metrics = new ReceiptsMetrics(new SimpleMeterRegistry());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        scheduler = new AlertScheduler(watches, new WebhookSender(jdbc, properties, metrics), jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), null, properties, metrics, clock);
    }

    @Test
    void anUndeliveredNotificationRaisesNotDeliveredAtItsDueTimeThenUnseen() {
        watches.watch(List.of(notification("n1", "alice"), notification("n1", "alice")), 30_000, 600_000);
        assertThat(watches.pending()).as("a second copy is ignored").isEqualTo(1);

        at(T0.plusSeconds(29));
        assertThat(deliveries()).isEmpty();

        at(T0.plusSeconds(30));
        assertThat(deliveries()).containsExactly("not_delivered:n1");
        assertThat(watches.pending()).as("still waiting to be seen").isEqualTo(1);

        at(T0.plusSeconds(600));
        assertThat(deliveries()).containsExactlyInAnyOrder("not_delivered:n1", "unseen:n1");
        assertThat(watches.pending()).isZero();
    }

    @Test
    void aDeliveredReceiptEvenOneBeforeItsNotificationAnswersTheFirstQuestion() {
        watches.mark(List.of(new Watches.Mark("alice", "n1", Watches.Mark.DELIVERED, T0.toEpochMilli() + 5)), Long.MAX_VALUE);
        watches.mark(List.of(new Watches.Mark("alice", "n1", Watches.Mark.DELIVERED, T0.toEpochMilli() + 9)), Long.MAX_VALUE);
        watches.watch(List.of(notification("n1", "alice")), 30_000, 600_000);

        at(T0.plusSeconds(30));
        assertThat(deliveries()).isEmpty();

        at(T0.plusSeconds(600));
        assertThat(deliveries()).containsExactly("unseen:n1");
        assertThat(jdbc.queryForObject("SELECT payload FROM receipt_alert_deliveries", String.class))
                .contains("\"deliveredAt\":\"" + T0.plusMillis(5) + "\"");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM receipt_marks", Integer.class)).as("gone with its watch").isZero();
    }

    @Test
    void seenOrReadAnswersBoth() {
        watches.watch(List.of(notification("n1", "alice"), notification("n2", "alice"), notification("n3", "alice"),
                notification("n4", "bob")), 30_000, 600_000);
        watches.mark(List.of(new Watches.Mark("alice", "n1", Watches.Mark.SEEN, T0.toEpochMilli())), Long.MAX_VALUE);
        watches.read("alice", List.of("n2"));
        assertThat(watches.pending()).isEqualTo(3);

        at(T0.plusSeconds(30));
        assertThat(deliveries()).containsExactlyInAnyOrder("not_delivered:n3", "not_delivered:n4");
        watches.readAll("alice");
        at(T0.plusSeconds(600));
        assertThat(deliveries()).containsExactlyInAnyOrder("not_delivered:n3", "not_delivered:n4", "unseen:n4");
        assertThat(watches.pending()).isZero();
    }

    @Test
    void aFailedDeliveryIsRetriedAfterItsBackoffAndDeadLetteredAfterMaxAttempts() {
        watches.watch(List.of(notification("n1", "alice")), 30_000, 0);

        at(T0.plusSeconds(30));
        assertThat(attempts()).isEqualTo(1);
        at(T0.plusMillis(30_500));
        assertThat(attempts()).as("not before its back-off of 1 s").isEqualTo(1);
        at(T0.plusSeconds(31));
        assertThat(attempts()).isEqualTo(2);
        at(T0.plusSeconds(33));
        assertThat(attempts()).isEqualTo(3);
        at(T0.plusSeconds(3600));
        assertThat(attempts()).as("dead-lettered: not sent again").isEqualTo(3);
        assertThat(jdbc.queryForMap("SELECT next_attempt_ms, dead_at_ms, last_error FROM receipt_alert_deliveries"))
                .containsEntry("next_attempt_ms", null).containsEntry("dead_at_ms", T0.plusSeconds(33).toEpochMilli())
                .hasEntrySatisfying("last_error", error -> assertThat((String) error).contains("Connect"));
    }

    @Test
    void positionsOnlyMoveForwardAndMarksExpire() {
        assertThat(watches.positions(java.util.Set.of(3))).isEqualTo(Map.of(3, -1L));
        watches.advance(3, 10);
        watches.advance(3, 7);
        assertThat(watches.positions(java.util.Set.of(3))).isEqualTo(Map.of(3, 10L));

        watches.mark(List.of(new Watches.Mark("alice", "n1", Watches.Mark.SEEN, 1)), 100);
        assertThat(watches.expireMarks(101, 10)).isEqualTo(1);
    }

    private void at(Instant instant) {
        now = instant;
        scheduler.tick();
    }

    private List<String> deliveries() {
        return jdbc.queryForList("SELECT CONCAT(kind, ':', event_id) FROM receipt_alert_deliveries", String.class);
    }

    private int attempts() {
        return jdbc.queryForObject("SELECT attempts FROM receipt_alert_deliveries", Integer.class);
    }

    private static Envelope notification(String eventId, String userId) {
        return Envelope.notification(eventId, userId, "chat.message", "Hi", "", null, T0, T0, "shop");
    }
}
