package dev.herald.producer.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes events keyed by user id (and channel messages keyed by channel) and completes only once
 * the broker acknowledged every one of them
 * ({@code acks=all}, idempotent producer): the caller may answer 202 only then. Otherwise it fails with a
 * 503 {@link ApiException}, and only once Kafka's producer has reported on every record it was given:
 * within the send-timeout, since the producer's own bounds are derived from it ({@link KafkaTimeouts}).
 * So a record that was not acknowledged by the 503 is never sent again after it; one whose produce
 * request had already reached the broker may still have been written (the broker's answer came too
 * late or was lost), which is why the caller is told to retry with the same Idempotency-Key.
 * <p>The core is asynchronous ({@link #publishAsync}): no caller thread waits, which is what lets the
 * Netty front answer from Kafka's callback; {@link #publish} waits for the same future.
 */
@Component
class EventPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, Object> kafka;
    private final KafkaTimeouts timeouts;
    private final IngestMetrics metrics;
    private final Positions positions;
    /**
     * The one thread that calls {@code send()}: it may block up to {@code max.block.ms} (metadata,
     * buffer space), which must never hold up an HTTP event loop; one thread keeps the records of
     * one request, and of requests in the order they came, in order for the producer.
     */
    private final ExecutorService handOver;
    /** Ends the wait for Kafka's verdict at the deadline when the producer has not reported. */
    private final ScheduledExecutorService verdicts;

    /** One record to publish: its topic, key, value, and the event id to log if it is refused. */
    private record Outgoing(String topic, String key, Object value, String eventId) {
    }

    EventPublisher(KafkaTemplate<String, Object> kafka, ProducerProperties properties, IngestMetrics metrics,
            Positions positions) {
        this.kafka = kafka;
        this.handOver = Executors.newSingleThreadExecutor(daemon("herald-kafka-handover"));
        this.verdicts = Executors.newSingleThreadScheduledExecutor(daemon("herald-kafka-verdicts"));
        this.timeouts = properties.kafkaTimeouts();
        this.metrics = metrics;
        this.positions = positions;
    }

    /** The cursor of each event, in the order given; blocks the calling thread until Kafka's verdict. */
    List<Cursor> publish(List<Envelope> events) {
        return join(publishAsync(events));
    }

    /** The cursor of the message in its channel; blocks the calling thread until Kafka's verdict. */
    Cursor publish(ChannelMessage message) {
        return join(publishAsync(message));
    }

    /**
     * The cursor of each event, in the order given, once Kafka acknowledged every one; completed
     * exceptionally with the 503 {@link ApiException} otherwise. The caller's thread never blocks:
     * records are handed to the producer on the hand-over thread, and the future completes on
     * Kafka's I/O thread or the verdict timer, so callers should move their own work elsewhere.
     */
    CompletableFuture<List<Cursor>> publishAsync(List<Envelope> events) {
        List<Outgoing> outgoing = new ArrayList<>(events.size());
        for (Envelope event : events) {
            outgoing.add(new Outgoing(Topics.USER_EVENTS, event.userId(), event, event.eventId()));
        }
        return publishAll(outgoing);
    }

    /** The cursor of the message in its channel, as {@link #publishAsync(List)}. */
    CompletableFuture<Cursor> publishAsync(ChannelMessage message) {
        return publishAll(List.of(new Outgoing(Topics.CHANNEL_EVENTS, message.channel(), message, message.eventId())))
                .thenApply(cursors -> cursors.get(0));
    }

    private static <T> T join(CompletableFuture<T> publishing) {
        try {
            return publishing.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ex;
        }
    }

    private CompletableFuture<List<Cursor>> publishAll(List<Outgoing> events) {
        Publishing publishing = new Publishing(events, System.nanoTime());
        try {
            handOver.execute(publishing::handOver);
        }
        catch (RejectedExecutionException ex) {
            publishing.notHandedOver = "producer-api is shutting down";
            publishing.finish();
        }
        return publishing.result;
    }

    @Override
    public void destroy() throws InterruptedException {
        // Requests already queued still get their verdict: the producer closes after this bean.
        handOver.shutdown();
        handOver.awaitTermination(timeouts.verdictWait().toMillis(), TimeUnit.MILLISECONDS);
        verdicts.shutdown();
    }

    /** One request's records on their way to Kafka, and its single answer. */
    private final class Publishing {

        final List<Outgoing> events;
        final long started;
        final CompletableFuture<List<Cursor>> result = new CompletableFuture<>();
        final List<CompletableFuture<SendResult<String, Object>>> sends;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile String notHandedOver;
        volatile ScheduledFuture<?> timeout;

        Publishing(List<Outgoing> events, long started) {
            this.events = events;
            this.started = started;
            this.sends = new ArrayList<>(events.size());
        }

        /** On the hand-over thread: the only place where {@code send()} may block (metadata, buffer space). */
        void handOver() {
            long handOverEnd = started + timeouts.handOver().toNanos();
            for (Outgoing event : events) {
                // Past the hand-over window Kafka's own bound would end after the send-timeout: a record
                // not given to the producer by then is not given at all (this also bounds the queue
                // before this thread while sends block: a request that waited too long is refused at once).
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
            if (sends.isEmpty()) {
                finish();
                return;
            }
            // Wait for Kafka's verdict on every record it was given, failed ones included, so that none
            // is still pending in the producer when the request is answered.
            long left = Math.max(0, started + timeouts.verdictWait().toNanos() - System.nanoTime());
            timeout = verdicts.schedule(this::finish, left, TimeUnit.NANOSECONDS);
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((ignored, ex) -> finish());
        }

        /** Once: when Kafka reported on every record given, or at the verdict deadline, whichever is first. */
        void finish() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> timer = timeout;
            if (timer != null) {
                timer.cancel(false);
            }
            boolean ok = false;
            try {
                result.complete(verdict());
                ok = true;
            }
            catch (ApiException ex) {
                List<String> ids = events.stream().map(Outgoing::eventId).limit(10).toList();
                try (var ignored = MDC.putCloseable("eventId", String.join(",", ids))) {
                    log.warn("Kafka did not take {} event(s) (eventIds {}{}): {}", events.size(), ids,
                            events.size() > ids.size() ? ", …" : "", ex.getMessage());
                }
                result.completeExceptionally(ex);
            }
            catch (RuntimeException ex) {
                result.completeExceptionally(ex);
            }
            finally {
                metrics.sent(Duration.ofNanos(System.nanoTime() - started), ok);
            }
        }

        private List<Cursor> verdict() {
            List<Cursor> cursors = new ArrayList<>(sends.size());
            Throwable failure = null;
            int pending = 0;
            for (CompletableFuture<SendResult<String, Object>> send : sends) {
                if (!send.isDone()) {
                    pending++;
                }
                else if (send.isCompletedExceptionally()) {
                    try {
                        send.join();
                    }
                    catch (CompletionException | CancellationException ex) {
                        failure = failure != null ? failure : (ex.getCause() != null ? ex.getCause() : ex);
                    }
                }
                else {
                    RecordMetadata metadata = send.join().getRecordMetadata();
                    cursors.add(positions.cursor(metadata.topic(), metadata.partition(), metadata.offset()));
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
    }

    private ApiException unavailable(String reason, Throwable cause) {
        log.debug("Kafka send failed", cause);
        return ApiException.unavailable(
                "the event stream is not accepting records right now (" + reason + "); retry with the same Idempotency-Key",
                Duration.ofSeconds(Math.max(1, timeouts.sendTimeout().toSeconds())));
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
