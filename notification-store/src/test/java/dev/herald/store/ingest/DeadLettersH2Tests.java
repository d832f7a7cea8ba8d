package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.Envelope;
import dev.herald.schema.Topics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * The dead-letter outbox on H2: a record is recorded once with the position past it, forwarded to
 * the DLT after that, and deleted once the DLT acknowledged it; what the DLT did not take stays and
 * is forwarded later. (The real pipeline, with MariaDB and a broker, is in the integration tests.)
 */
class DeadLettersH2Tests {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");

    private final Dlt dlt = new Dlt();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MovableClock clock = new MovableClock();
    private JdbcTemplate jdbc;
    private InboxWriter writer;
    private DeadLetters deadLetters;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = MigratedH2.fresh();
        jdbc = new JdbcTemplate(dataSource);
        writer = new InboxWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), clock, MigratedH2.properties(), MigratedH2.publisher());
        deadLetters = new DeadLetters(new KafkaTemplate<>(new MockProducerFactory<>(() -> dlt)), jdbc, clock, registry);
    }

    @Test
    void aDeadLetterIsForwardedAsItCameWithItsReasonAndOriginThenItsRowIsDeleted() {
        Applied applied = writer.apply(List.of(notification("n1", 0), notification("n2", 2)),
                List.of(deadLetter(1, "{not json")), Map.of(3, 2L));

        assertThat(applied).isEqualTo(new Applied(2, 0, 1));
        assertThat(rows()).isEqualTo(1);

        deadLetters.mayHaveRows(List.of(3));
        deadLetters.forward(List.of(3));

        assertThat(dlt.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.USER_EVENTS_DLT);
            assertThat(record.key()).isEqualTo("alice");
            assertThat(record.value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
            assertThat(header(record, Topics.DLT_REASON_HEADER)).isEqualTo("not valid JSON");
            assertThat(header(record, Topics.DLT_SOURCE_PARTITION_HEADER)).isEqualTo("3");
            assertThat(header(record, Topics.DLT_SOURCE_OFFSET_HEADER)).isEqualTo("1");
        });
        assertThat(rows()).isZero();
        assertThat(registry.get("herald.store.events.dead_lettered").counter().count()).isEqualTo(1);
    }

    @Test
    void aBatchAppliedAgainRecordsNoSecondDeadLetter() {
        List<PositionedEvent> events = List.of(notification("n1", 0));
        List<DeadLetter> invalid = List.of(deadLetter(1, "{not json"));
        writer.apply(events, invalid, Map.of(3, 1L));
        deadLetters.mayHaveRows(List.of(3));
        deadLetters.forward(List.of(3));

        assertThat(writer.apply(events, invalid, Map.of(3, 1L))).as("redelivered").isEqualTo(new Applied(0, 0, 0));
        deadLetters.mayHaveRows(List.of(3));
        deadLetters.forward(List.of(3));

        assertThat(dlt.history()).hasSize(1);
        assertThat(registry.get("herald.store.events.dead_lettered").counter().count()).isEqualTo(1);
    }

    @Test
    void whatTheDltDidNotTakeStaysAndIsForwardedLater() {
        writer.apply(List.of(), List.of(deadLetter(1, "{not json"), deadLetter(2, "[]")), Map.of(3, 2L));
        deadLetters.mayHaveRows(List.of(3));

        dlt.down = true;
        deadLetters.forward(List.of(3));
        assertThat(rows()).as("nothing was acknowledged").isEqualTo(2);
        assertThat(registry.get("herald.store.events.dead_lettered").counter().count()).isZero();

        dlt.down = false;
        deadLetters.forward(List.of(3));
        assertThat(dlt.history()).as("not before the retry interval").isEmpty();

        clock.advance(DeadLetters.RETRY_INTERVAL);
        deadLetters.forward(List.of(3));
        assertThat(dlt.history()).extracting(record -> header(record, Topics.DLT_SOURCE_OFFSET_HEADER)).containsExactly("1", "2");
        assertThat(rows()).isZero();
    }

    @Test
    void rowsLeftBeforeARestartAreForwardedOnceTheirPartitionIsAssigned() {
        writer.apply(List.of(), List.of(deadLetter(1, "{not json")), Map.of(3, 1L));

        deadLetters.forward(List.of(3));
        assertThat(dlt.history()).as("not known to have rows yet").isEmpty();

        deadLetters.mayHaveRows(List.of(3));
        deadLetters.forward(List.of(3));
        assertThat(dlt.history()).hasSize(1);
    }

    private int rows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters", Integer.class);
    }

    private static PositionedEvent notification(String id, long offset) {
        return new PositionedEvent(Envelope.notification(id, "alice", "chat.message", "Hi", "", null, AT, AT, "it"), 3, offset);
    }

    private static DeadLetter deadLetter(long offset, String value) {
        return DeadLetter.of(new ConsumerRecord<>(Topics.USER_EVENTS, 3, offset, "alice", value.getBytes(StandardCharsets.UTF_8)),
                "not valid JSON");
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /**
     * The DLT's producer. When {@code down}, a send fails as KafkaProducer's does without a broker:
     * its callback and future get a TimeoutException. Never closed (KafkaTemplate closes its
     * producer after each send, which the real factory's shared producer ignores).
     */
    private static final class Dlt extends MockProducer<String, byte[]> {

        volatile boolean down;

        Dlt() {
            super(true, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
            if (down) {
                TimeoutException timeout = new TimeoutException("Topic " + record.topic() + " not present in metadata after 5000 ms.");
                callback.onCompletion(null, timeout);
                return CompletableFuture.failedFuture(timeout);
            }
            return super.send(record, callback);
        }

        @Override
        public void close(Duration timeout) {
        }
    }

    /** A clock the test moves on. */
    private static final class MovableClock extends Clock {

        private Instant now = AT;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
