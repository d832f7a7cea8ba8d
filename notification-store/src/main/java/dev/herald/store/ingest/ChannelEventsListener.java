package dev.herald.store.ingest;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.herald.schema.ChannelMessage;
import dev.herald.schema.ChannelMessageCodec;
import dev.herald.schema.InvalidEventException;
import dev.herald.schema.Topics;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code herald.channel-events} into the channel history ({@link ChannelWriter}), in
 * batches, in its own group ({@code herald-store-channels}), so that channels neither wait for nor
 * hold up the inbox; by the same rules as {@link UserEventsListener} ({@link BatchListener}), dead
 * letters forwarded to the channel DLT by {@link ChannelDeadLetters}. A record whose key is not its
 * channel is dead-lettered too.
 */
@Component
class ChannelEventsListener extends BatchListener<PositionedMessage> {

    private final ChannelWriter writer;
    private final ChannelPositions positions;

    ChannelEventsListener(ChannelWriter writer, ChannelDeadLetters deadLetters, ChannelPositions positions,
            MeterRegistry registry) {
        super(Topics.CHANNEL_EVENTS, "channel records", "channel partition", deadLetters,
                Counter.builder("herald.store.channel.messages.persisted")
                        .description("Channel messages written to the channel history").register(registry),
                Counter.builder("herald.store.channel.messages.duplicates")
                        .description("Channel messages skipped because their channel already had their eventId from their source")
                        .register(registry));
        this.writer = writer;
        this.positions = positions;
    }

    @Override
    @KafkaListener(id = Topics.STORE_CHANNELS_GROUP, topics = Topics.CHANNEL_EVENTS)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        super.onBatch(records);
    }

    @Override
    PositionedMessage decode(ConsumerRecord<String, byte[]> record) throws InvalidEventException {
        ChannelMessage message = ChannelMessageCodec.decode(record.value());
        // The key decides the partition, and so the cursor a channel's readers follow.
        if (!message.channel().equals(record.key())) {
            throw new InvalidEventException("channel", "does not match the record key");
        }
        return new PositionedMessage(message, record.partition(), record.offset());
    }

    @Override
    Applied apply(List<PositionedMessage> messages, List<DeadLetter> deadLetters, Map<Integer, Long> batchEnds) {
        return writer.apply(messages, deadLetters, batchEnds);
    }

    @Override
    long appliedOffset(int partition) {
        return positions.current(partition).offset();
    }
}
