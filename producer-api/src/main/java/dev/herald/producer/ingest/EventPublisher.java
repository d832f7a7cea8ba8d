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
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.Topics;
import dev.herald.support.ApiException;
import dev.herald.support.TopicLayout;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes events keyed by user id and returns only once the broker acknowledged every one of them
 * ({@code acks=all}, idempotent producer): the caller may answer 202 only then. When Kafka cannot
 * take them within the configured bound, it throws a 503 {@link ApiException}.
 */
@Component
class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, Envelope> kafka;
    private final Duration timeout;
    private final IngestMetrics metrics;
    private final TopicLayout topic;

    EventPublisher(KafkaTemplate<String, Envelope> kafka, ProducerProperties properties, IngestMetrics metrics,
            TopicLayout topic) {
        this.kafka = kafka;
        this.timeout = properties.sendTimeout();
        this.metrics = metrics;
        this.topic = topic;
    }

    /** The cursor of each event, in the order given. */
    List<Cursor> publish(List<Envelope> events) {
        long started = System.nanoTime();
        boolean ok = false;
        try {
            List<Cursor> cursors = send(events, started + timeout.toNanos());
            ok = true;
            return cursors;
        }
        catch (ApiException ex) {
            List<String> ids = events.stream().map(Envelope::eventId).limit(10).toList();
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

    private List<Cursor> send(List<Envelope> events, long deadline) {
        List<CompletableFuture<SendResult<String, Envelope>>> sends = new ArrayList<>(events.size());
        try {
            for (Envelope event : events) {
                CompletableFuture<SendResult<String, Envelope>> send = kafka.send(Topics.USER_EVENTS, event.userId(), event);
                // A send blocks while the producer waits for metadata; stop at the first failure
                // or past the deadline rather than blocking once per record.
                if (send.isCompletedExceptionally() || System.nanoTime() > deadline) {
                    break;
                }
                sends.add(send);
            }
            if (sends.size() < events.size()) {
                throw unavailable(events.size() - sends.size() + " of " + events.size() + " records not sent in time", null);
            }
            List<Cursor> cursors = new ArrayList<>(sends.size());
            for (CompletableFuture<SendResult<String, Envelope>> send : sends) {
                long left = Math.max(0, deadline - System.nanoTime());
                RecordMetadata metadata = send.get(left, TimeUnit.NANOSECONDS).getRecordMetadata();
                cursors.add(topic.cursor(metadata.partition(), metadata.offset()));
            }
            return cursors;
        }
        catch (TimeoutException ex) {
            throw unavailable("Kafka did not acknowledge within " + timeout.toMillis() + " ms", ex);
        }
        catch (ExecutionException ex) {
            throw unavailable(ex.getCause().getMessage(), ex.getCause());
        }
        catch (RuntimeException ex) {
            if (ex instanceof ApiException api) {
                throw api;
            }
            throw unavailable(ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while waiting for Kafka", ex);
        }
    }

    private ApiException unavailable(String reason, Throwable cause) {
        log.debug("Kafka send failed", cause);
        return ApiException.unavailable(
                "the event stream is not accepting records right now (" + reason + "); retry with the same Idempotency-Key",
                Duration.ofSeconds(Math.max(1, timeout.toSeconds())));
    }
}
