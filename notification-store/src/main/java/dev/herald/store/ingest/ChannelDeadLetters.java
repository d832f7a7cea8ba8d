package dev.herald.store.ingest;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.schema.Topics;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * The dead-letter outbox of {@code herald.channel-events}: rows of {@code channel_dead_letters},
 * recorded by {@link ChannelWriter}, forwarded to {@code herald.channel-events.DLT} (see
 * {@link DeadLetterOutbox}).
 */
@Component
class ChannelDeadLetters extends DeadLetterOutbox {

    ChannelDeadLetters(KafkaTemplate<String, byte[]> kafka, JdbcTemplate jdbc, Clock clock, MeterRegistry registry) {
        super("channel_dead_letters", Topics.CHANNEL_EVENTS_DLT, Counter.builder("herald.store.channel.messages.dead_lettered")
                .description("Channel records the channel dead-letter topic acknowledged").register(registry), kafka, jdbc, clock);
    }
}
