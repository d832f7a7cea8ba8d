package dev.herald.producer.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.herald.producer.system.IngestMetrics;
import dev.herald.producer.system.KafkaTimeouts;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.Topics;
import dev.herald.support.ApiException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes events keyed by user id (and channel messages keyed by channel) and returns only once
 * the broker acknowledged every one of them
 * ({@code acks=all}, idempotent producer): the caller may answer 202 only then. Otherwise it throws a
 * 503 {@link ApiException}, and only once Kafka's producer has reported on every record it was given:
 * within the send-timeout, since the producer's own bounds are derived from it ({@link KafkaTimeouts}).
 * So a record that was not acknowledged by the 503 is never sent again after it; one whose produce
 * request had already reached the broker may still have been written (the broker's answer came too
 * late or was lost), which is why the caller is told to retry with the same Idempotency-Key.
 */
@Component
class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, Object> kafka;
    private final KafkaTimeouts timeouts;
    private final IngestMetrics metrics;
    private final Positions positions;

    /** One record to publish: its topic, key, value, and the event id to log if it is refused. */
    private record Outgoing(String topic, String key, Object value, String eventId) {
    }

    EventPublisher(KafkaTemplate<String, Object> kafka, ProducerProperties properties, IngestMetrics metrics,
            Positions positions) {
        this.kafka = kafka;
        this.timeouts = properties.kafkaTimeouts();
        this.metrics = metrics;
        this.positions = positions;
    }

    /** The cursor of each event, in the order given. */
    List<Cursor> publish(List<Envelope> events) {
        return publishAll(events.stream()
                .map(event -> new Outgoing(Topics.USER_EVENTS, event.userId(), event, event.eventId())).toList());
    }

    /** The cursor of the message in its channel. */
    Cursor publish(ChannelMessage message) {
        return publishAll(List.of(new Outgoing(Topics.CHANNEL_EVENTS, message.channel(), message, message.eventId())))
                .get(0);
    }

    private List<Cursor> publishAll(List<Outgoing> events) {
        long started = System.nanoTime();
        boolean ok = false;
        try {
            List<Cursor> cursors = send(events, started);
            ok = true;
            return cursors;
        }
        catch (ApiException ex) {
            List<String> ids = events.stream().map(Outgoing::eventId).limit(10).toList();
            try (var ignored = MDC.putCloseable("eventId", String.join(",", ids))) {
                log.warn("Kafka did not take {} event(s) (eventIds {}{}): {}", events.size(), ids,
                        events.size() > ids.size() ? ", …" : "", ex.getMessage());
            }
            throw ex;
        }
        finally {
            metrics.sent(Duration.ofNanos(System.nanoTime() - started), ok);
        }
    }

    private List<Cursor> send(List<Outgoing> events, long started) {
        List<CompletableFuture<SendResult<String, Object>>> sends = new ArrayList<>(events.size());
        String notHandedOver = null;
        long handOverEnd = started + timeouts.handOver().toNanos();
        for (Outgoing event : events) {
            // Past the hand-over window Kafka's own bound would end after the send-timeout: a record
            // not given to the producer by then is not given at all.
            if (System.nanoTime() - handOverEnd > 0) {
                notHandedOver = "Kafka did not take them within " + timeouts.handOver().toMillis() + " ms";
                break;
            }
            CompletableFuture<SendResult<String, Object>> send;
            try {
                send = kafka.send(event.topic(), event.key(), event.value());
            }
            catch (RuntimeException ex) {
                notHandedOver = "the producer refused them: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
                log.debug("Kafka send failed", ex);
                break;
            }
            sends.add(send);
            // A send blocks while the producer waits for metadata or buffer space: after a failure
            // the next would wait as long again.
            if (send.isCompletedExceptionally()) {
                break;
            }
        }

        // Wait for Kafka's verdict on every record it was given, failed ones included, so that none
        // is still pending in the producer when the request is answered.
        long verdictDeadline = started + timeouts.verdictWait().toNanos();
        List<Cursor> cursors = new ArrayList<>(sends.size());
        Throwable failure = null;
        int pending = 0;
        for (CompletableFuture<SendResult<String, Object>> send : sends) {
            try {
                long left = Math.max(0, verdictDeadline - System.nanoTime());
                RecordMetadata metadata = send.get(left, TimeUnit.NANOSECONDS).getRecordMetadata();
                cursors.add(positions.cursor(metadata.topic(), metadata.partition(), metadata.offset()));
            }
            catch (ExecutionException ex) {
                failure = failure != null ? failure : ex.getCause();
            }
            catch (TimeoutException ex) {
                pending++;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                pending++;
            }
        }
        if (pending > 0) {
            log.warn("Kafka's producer has not reported on {} of {} record(s) within {} ms; they may still be written",
                    pending, events.size(), timeouts.verdictWait().toMillis());
            throw unavailable(pending + " of " + events.size() + " records not acknowledged within "
                    + timeouts.verdictWait().toMillis() + " ms", null);
        }
        if (failure != null) {
            throw unavailable(NestedExceptionUtils.getMostSpecificCause(failure).getMessage(), failure);
        }
        if (cursors.size() < events.size()) {
            throw unavailable(events.size() - cursors.size() + " of " + events.size() + " records not sent: " + notHandedOver, null);
        }
        return cursors;
    }

    private ApiException unavailable(String reason, Throwable cause) {
        log.debug("Kafka send failed", cause);
        return ApiException.unavailable(
                "the event stream is not accepting records right now (" + reason + "); retry with the same Idempotency-Key",
                Duration.ofSeconds(Math.max(1, timeouts.sendTimeout().toSeconds())));
    }
}
