package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import dev.herald.store.system.StoreProperties;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The H2 tests' database: a fresh in-memory H2 in MySQL mode, the local stack's default, with every migration applied. */
public final class MigratedH2 {

    private MigratedH2() {
    }

    /** The store's defaults: inbox channel {@code system}, a 30-day window. */
    public static StoreProperties properties() {
        return new StoreProperties(Duration.ofSeconds(5), 50, 200, List.of("system"), Duration.ofDays(30));
    }

    /** A publisher of preference sets that only records what it would send. */
    static RecordingPublisher publisher() {
        return new RecordingPublisher();
    }

    static final class RecordingPublisher extends PreferencesPublisher {

        final List<Published> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        RecordingPublisher() {
            super(null, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }

        @Override
        void send(Published set) {
            sent.add(set);
        }
    }

    public static DriverManagerDataSource fresh() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        assertThat(Flyway.configure().dataSource(dataSource).load().migrate().success).isTrue();
        return dataSource;
    }
}
