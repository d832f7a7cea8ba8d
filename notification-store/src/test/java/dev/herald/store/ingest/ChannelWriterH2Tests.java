package dev.herald.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Topics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * V4 and the channel writer's SQL on H2 in MySQL mode: messages stored once with their partition's
 * position, and dead letters through the outbox to the channel DLT. (MariaDB and a broker are in the
 * integration tests.)
 */
class ChannelWriterH2Tests {

    private static final Instant AT = Instant.parse("2026-11-28T12:00:00.123Z");

    private JdbcTemplate jdbc;
    private ChannelWriter writer;

    @BeforeEach
    void migrateAFreshDatabase() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        assertThat(Flyway.configure().dataSource(dataSource).load().migrate().success).isTrue();
        jdbc = new JdbcTemplate(dataSource);
        writer = new ChannelWriter(jdbc, new NamedParameterJdbcTemplate(dataSource), Clock.systemUTC());
    }

    @Test
    void storesMessagesWithThePositionOfTheirPartition() {
        ChannelWriter.Applied applied = writer.apply(List.of(message("m1", "order:42", "shop", 2, 0),
                message("m2", "system", "shop", 1, 5), message("m3", "order:42", "shop", 2, 1)), List.of(), Map.of(2, 1L, 1, 5L));

        assertThat(applied).isEqualTo(new ChannelWriter.Applied(3, 0, 0));
        assertThat(jdbc.queryForList("SELECT event_id FROM channel_messages WHERE channel = 'order:42' ORDER BY kafka_offset",
                String.class)).containsExactly("m1", "m3");
        assertThat(jdbc.queryForList("SELECT kafka_partition, applied_offset FROM channel_positions ORDER BY kafka_partition"))
                .extracting(row -> row.get("kafka_partition") + "@" + row.get("applied_offset")).containsExactly("1@5", "2@1");
    }

    @Test
    void redeliveredAndDuplicatedMessagesChangeNothing() {
        List<PositionedMessage> batch = List.of(message("m1", "system", "shop", 0, 0), message("m2", "system", "shop", 0, 1));
        writer.apply(batch, List.of(), Map.of(0, 1L));

        assertThat(writer.apply(batch, List.of(), Map.of(0, 1L))).as("redelivered: skipped by offset")
                .isEqualTo(new ChannelWriter.Applied(0, 0, 0));
        assertThat(writer.apply(List.of(message("m1", "system", "shop", 0, 2), message("m9", "system", "shop", 0, 3),
                message("m9", "system", "shop", 0, 4)), List.of(), Map.of(0, 4L)))
                .as("produced again at a new offset, and twice within one batch").isEqualTo(new ChannelWriter.Applied(1, 2, 0));
        assertThat(jdbc.queryForList("SELECT event_id FROM channel_messages ORDER BY kafka_offset", String.class))
                .containsExactly("m1", "m2", "m9");
        assertThat(jdbc.queryForObject("SELECT applied_offset FROM channel_positions WHERE kafka_partition = 0", Long.class))
                .isEqualTo(4L);
    }

    @Test
    void anEventIdIsADuplicateOnlyInTheSameChannelFromTheSameSource() {
        ChannelWriter.Applied applied = writer.apply(List.of(message("m1", "system", "shop", 0, 0),
                message("m1", "system", "Shop", 0, 1), message("m1", "order:42", "shop", 0, 2),
                message("M1", "system", "shop", 0, 3)), List.of(), Map.of(0, 3L));

        assertThat(applied).as("sources and ids compared byte for byte").isEqualTo(new ChannelWriter.Applied(4, 0, 0));
    }

    @Test
    void aDeadLetterIsRecordedOnceAndForwardedToTheChannelDlt() {
        MockProducer<String, byte[]> dlt = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public void close(Duration timeout) {
                // KafkaTemplate closes its producer after each send; the real factory's shared one ignores it
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChannelDeadLetters deadLetters = new ChannelDeadLetters(new KafkaTemplate<>(new MockProducerFactory<>(() -> dlt)), jdbc,
                Clock.systemUTC(), registry);
        DeadLetter garbage = DeadLetter.of(new ConsumerRecord<>(Topics.CHANNEL_EVENTS, 3, 1L, "system",
                "{not json".getBytes(StandardCharsets.UTF_8)), "$: not valid JSON");
        List<PositionedMessage> messages = List.of(message("m1", "system", "shop", 3, 0));

        assertThat(writer.apply(messages, List.of(garbage), Map.of(3, 1L))).isEqualTo(new ChannelWriter.Applied(1, 0, 1));
        assertThat(writer.apply(messages, List.of(garbage), Map.of(3, 1L))).as("read again").isEqualTo(new ChannelWriter.Applied(0, 0, 0));
        deadLetters.mayHaveRows(List.of(3));
        deadLetters.forward(List.of(3));

        assertThat(dlt.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.CHANNEL_EVENTS_DLT);
            assertThat(record.key()).isEqualTo("system");
            assertThat(record.value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
            assertThat(header(record, Topics.DLT_REASON_HEADER)).isEqualTo("$: not valid JSON");
            assertThat(header(record, Topics.DLT_SOURCE_PARTITION_HEADER)).isEqualTo("3");
            assertThat(header(record, Topics.DLT_SOURCE_OFFSET_HEADER)).isEqualTo("1");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM channel_dead_letters", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters", Integer.class)).as("the inbox's outbox").isZero();
        assertThat(registry.get("herald.store.channel.messages.dead_lettered").counter().count()).isEqualTo(1);
    }

    private static PositionedMessage message(String id, String channel, String source, int partition, long offset) {
        return new PositionedMessage(ChannelMessage.of(id, channel, "system.alert", "Hi", "", null, AT, AT, source), partition,
                offset);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
