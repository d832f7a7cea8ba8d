package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.sun.management.OperatingSystemMXBean;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import tools.jackson.databind.node.JsonNodeFactory;

import dev.herald.schema.Envelope;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * What the inbox writer alone costs per event, without Kafka or HTTP: 100,000 notifications for
 * 10,000 users in transactions of 500, after 25,000 unmeasured. Prints events/s and the CPU per
 * event of this JVM (H2 runs inside it, its page writer included) and, for MariaDB, of the local
 * {@code mariadbd} too. Not a timed test: it asserts only that every event was stored and counted.
 * Run with {@code mvn -B test -pl notification-store -Dherald.measure=true -Dtest=InboxWriterMeasurement
 * -Dsurefire.failIfNoSpecifiedTests=false}; with {@code HERALD_TEST_JDBC_*} set it measures that
 * database too, and empties it first. {@code -Dherald.measure.h2-options=";PAGE_SIZE=16384"} appends
 * settings to the H2 URL, to compare them.
 */
@EnabledIfSystemProperty(named = "herald.measure", matches = "true")
class InboxWriterMeasurement {

    private static final int BATCH = 500;
    private static final int WARM_UP_BATCHES = 50;
    private static final int MEASURED_BATCHES = 200;
    private static final int USERS = 10_000;

    @Test
    void h2File() throws Exception {
        Path dir = Files.createTempDirectory("herald-h2-measure");
        measure("H2 file (the local stack's options)", "jdbc:h2:file:" + dir.resolve("store")
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;CACHE_SIZE=65536"
                + System.getProperty("herald.measure.h2-options", ""), "sa", "", null);
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "HERALD_TEST_JDBC_URL", matches = "jdbc:mariadb:.*")
    void mariaDb() throws Exception {
        measure("MariaDB", System.getenv("HERALD_TEST_JDBC_URL"), System.getenv("HERALD_TEST_JDBC_USER"),
                System.getenv("HERALD_TEST_JDBC_PASSWORD"), ProcessHandle.allProcesses()
                        .filter(p -> p.info().command().orElse("").endsWith("/mariadbd")).findFirst().orElse(null));
    }

    private static void measure(String name, String url, String user, String password, ProcessHandle server) throws SQLException {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, user, password, true);
        Flyway.configure().dataSource(dataSource).cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(dataSource).load().migrate();
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        InboxWriter writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.systemUTC(), MigratedH2.properties(), MigratedH2.publisher());
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Random random = new Random(7);
        Instant now = Instant.now();
        long offset = 0;
        long cpuBefore = 0;
        long serverCpuBefore = 0;
        long started = 0;
        for (int batch = 0; batch < WARM_UP_BATCHES + MEASURED_BATCHES; batch++) {
            if (batch == WARM_UP_BATCHES) {
                cpuBefore = os.getProcessCpuTime();
                serverCpuBefore = cpuNanos(server);
                started = System.nanoTime();
            }
            List<PositionedEvent> events = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++, offset++) {
                var data = JsonNodeFactory.instance.objectNode().put("hbT", System.nanoTime()).put("hbS", offset);
                events.add(new PositionedEvent(Envelope.notification(UUID.randomUUID().toString(), "user-" + random.nextInt(USERS),
                        "bench.event", "Notification " + offset, "A body of the length apps send, more or less.", data,
                        now, now, "measure"), 0, offset));
            }
            writer.apply(events, List.of(), Map.of(0, offset - 1));
            connection.commit();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        double serverCpu = (cpuNanos(server) - serverCpuBefore) / 1e9;
        int events = MEASURED_BATCHES * BATCH;
        System.out.printf("%n%s: %,d events in %.1f s = %,.0f events/s; CPU per event: this JVM %.0f µs%s%n%n", name, events,
                seconds, events / seconds, cpu * 1e6 / events,
                server == null ? "" : String.format(", mariadbd %.0f µs", serverCpu * 1e6 / events));

        long total = offset;
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM notifications", Long.class)).isEqualTo(total);
        assertThat(jdbc.queryForObject("SELECT SUM(unread) FROM unread_counts", Long.class)).isEqualTo(total);
        dataSource.destroy();
    }

    private static long cpuNanos(ProcessHandle process) {
        return process == null ? 0 : process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
