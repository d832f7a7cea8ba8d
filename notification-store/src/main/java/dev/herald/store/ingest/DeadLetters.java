package dev.herald.store.ingest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.Topics;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a record that cannot be applied to {@code herald.user-events.DLT}, unchanged, with the reason
 * and its origin in headers. Returns only once the DLT has it, so the offset is committed only
 * after the record is safe somewhere: nothing accepted is lost.
 */
@Component
class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter sent;

    DeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.sent = Counter.builder("herald.store.events.dead_lettered")
                .description("Records sent to the dead-letter topic").register(registry);
    }

    void send(ConsumerRecord<String, byte[]> record, String reason) {
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.USER_EVENTS_DLT, record.key(), record.value());
        dead.headers()
                .add(Topics.DLT_REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8))
                .add(Topics.DLT_SOURCE_PARTITION_HEADER, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8))
                .add(Topics.DLT_SOURCE_OFFSET_HEADER, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(dead).get(10, TimeUnit.SECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("could not write record " + record.partition() + "-" + record.offset()
                    + " to the dead-letter topic; it will be retried", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the dead-letter topic", ex);
        }
        sent.increment();
        String eventId = EnvelopeCodec.eventIdOf(record.value()).orElse("unknown");
        try (var ignored = MDC.putCloseable("eventId", eventId)) {
            log.warn("Record {}-{} (eventId {}) sent to {}: {}", record.partition(), record.offset(), eventId,
                    Topics.USER_EVENTS_DLT, reason);
        }
    }
}
