package dev.herald.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The MySQL-compatible database of a test JVM: {@code HERALD_TEST_JDBC_URL} (with
 * {@code HERALD_TEST_JDBC_USER} and {@code HERALD_TEST_JDBC_PASSWORD}) when set, else a
 * Testcontainers MySQL 8 when a Docker engine is present, else a failure that says what to set.
 * The store's tables are dropped once at start, so every run begins empty (the broker is new too).
 */
public final class TestDatabase {

    private static Settings settings;

    private TestDatabase() {
    }

    public record Settings(String url, String user, String password) {
    }

    public static synchronized Settings settings() {
        if (settings == null) {
            settings = locate();
            reset(settings);
        }
        return settings;
    }

    private static Settings locate() {
        String url = System.getenv("HERALD_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Settings(url, env("HERALD_TEST_JDBC_USER", ""), env("HERALD_TEST_JDBC_PASSWORD", ""));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
            MySQLContainer mysql = new MySQLContainer("mysql:8.4");
            mysql.start();
            return new Settings(mysql.getJdbcUrl(), mysql.getUsername(), mysql.getPassword());
        }
        throw new IllegalStateException("""
                The store tests need a MySQL-compatible database and none is configured. Either
                  - set HERALD_TEST_JDBC_URL (and HERALD_TEST_JDBC_USER, HERALD_TEST_JDBC_PASSWORD), e.g.
                    HERALD_TEST_JDBC_URL=jdbc:mariadb://127.0.0.1:3306/herald_test HERALD_TEST_JDBC_USER=herald HERALD_TEST_JDBC_PASSWORD=herald
                    (.ci/run creates that database and user on the local MariaDB), or
                  - run a Docker engine, and Testcontainers starts MySQL 8.""");
    }

    private static void reset(Settings db) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement statement = connection.createStatement()) {
            for (String table : new String[] { "notifications", "unread_counts", "applied_positions", "dead_letters",
                    "channel_messages", "channel_positions", "channel_dead_letters", "channel_reads", "channel_read_marks",
                    "flyway_schema_history" }) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot reset the test database at " + db.url() + ": " + ex.getMessage(), ex);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
