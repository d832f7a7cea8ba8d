package dev.herald.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The MySQL-compatible database of a test JVM: {@code HERALD_TEST_JDBC_URL} (with
 * {@code HERALD_TEST_JDBC_USER} and {@code HERALD_TEST_JDBC_PASSWORD}) when set, else a
 * Testcontainers MySQL 8 when a Docker engine is present, else a failure that says what to set.
 * The store's tables are dropped once at start, so every run begins empty (the broker is new too).
 *
 * <p>The store reaches a database on this machine through a {@link TcpGate} ({@link #storeSettings}),
 * so that a test can cut it off as a network failure or a stopped server would ({@link #unplug}).
 */
public final class TestDatabase {

    /** The database's name in a JDBC URL ({@code jdbc:mariadb://127.0.0.1:3306/db?...}). */
    private static final Pattern DATABASE = Pattern.compile("^(jdbc:[a-z]+://[^/]+/)([^?;]+)(.*)$");

    /** The host and port of a JDBC URL ({@code jdbc:mariadb://127.0.0.1:3306/db?...}). */
    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z]+://)([^/:?]+):(\\d+)(.*)$");

    private static Settings settings;
    private static Settings storeSettings;
    private static TcpGate gate;

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

    /**
     * A database of its own on the same server, named after the shared one plus {@code _suffix}
     * (created if missing, emptied like the shared one): for a store on a broker of a test's own,
     * whose applied positions must not meet the shared store's. The user needs the right to create
     * it ({@code .ci/run} grants {@code herald\_test%}).
     */
    public static synchronized Settings separate(String suffix) {
        Settings db = settings();
        Matcher url = DATABASE.matcher(db.url());
        if (!url.matches()) {
            throw new IllegalStateException("cannot tell the database's name in " + db.url());
        }
        String name = url.group(2) + "_" + suffix;
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot create the test database " + name + " (grant " + db.user()
                    + " the right to, as .ci/run does): " + ex.getMessage(), ex);
        }
        Settings separate = new Settings(url.group(1) + name + url.group(3), db.user(), db.password());
        reset(separate);
        return separate;
    }

    /**
     * What the store connects with: the database's own settings, through the gate when the database
     * is on this machine (else directly, and {@link #unplug} is not possible).
     */
    public static synchronized Settings storeSettings() {
        if (storeSettings == null) {
            Settings db = settings();
            Matcher url = HOST_PORT.matcher(db.url());
            if (url.matches() && (url.group(2).equals("127.0.0.1") || url.group(2).equals("localhost"))) {
                gate = new TcpGate(Ports.free(), Integer.parseInt(url.group(3)));
                gate.open();
                storeSettings = new Settings(url.group(1) + "127.0.0.1:" + gate.port() + url.group(4), db.user(), db.password());
            }
            else {
                storeSettings = db;
            }
        }
        return storeSettings;
    }

    /**
     * Cuts the store off its database until the returned handle is closed: new connections are
     * refused and open ones reset. Skips the calling test when the database is not on this machine.
     */
    public static synchronized AutoCloseable unplug() {
        storeSettings();
        Assumptions.assumeTrue(gate != null, "the database is not on this machine: its connections cannot be cut");
        gate.shut();
        return gate::open;
    }

    private static Settings locate() {
        String url = System.getenv("HERALD_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Settings(url, env("HERALD_TEST_JDBC_USER", ""), env("HERALD_TEST_JDBC_PASSWORD", ""));
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
            // As root, so that separate() may create databases beside the test one.
            MySQLContainer mysql = new MySQLContainer("mysql:8.4").withUsername("root");
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
                    "channel_seen", "channel_seen_marks", "channel_archives",
                    "receipt_watches", "receipt_marks", "receipt_positions", "receipt_alert_deliveries",
                    "user_preferences",
                    "notification_expiries",
                    "notification_keys", "inbox_counts",
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
