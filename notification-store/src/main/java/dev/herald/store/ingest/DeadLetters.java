package dev.herald.store.ingest;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.schema.Topics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The dead-letter outbox of {@code herald.user-events}: rows of {@code dead_letters}, recorded by
 * {@link InboxWriter}, forwarded to {@code herald.user-events.DLT} (see {@link DeadLetterOutbox}).
 */
@Component
class DeadLetters extends DeadLetterOutbox {

    DeadLetters(KafkaTemplate<String, byte[]> kafka, JdbcTemplate jdbc, Clock clock, MeterRegistry registry) {
        super("dead_letters", Topics.USER_EVENTS_DLT, Counter.builder("herald.store.events.dead_lettered")
                .description("Records the dead-letter topic acknowledged").register(registry), kafka, jdbc, clock);
    }
}
