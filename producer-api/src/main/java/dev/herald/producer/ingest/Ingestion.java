package dev.herald.producer.ingest;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.herald.producer.system.IngestMetrics;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.support.ApiException;

import org.springframework.stereotype.Component;

/**
 * The rules of an ingest request, whichever server took it (the Netty front or, for the dev
 * helpers' forwards, Spring MVC): its Idempotency-Key, validation, the caller's rate limit and
 * Kafka's verdict. Validation happens on the caller's thread; the returned future completes once
 * Kafka reported on every record (202), or with the {@link ApiException} to answer.
 */
@Component
class Ingestion {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final NotificationRequests requests;
    private final EventPublisher publisher;
    private final RateLimits rateLimits;
    private final IngestMetrics metrics;
    private final Clock clock;

    Ingestion(EventPublisher publisher, RateLimits rateLimits, ProducerProperties properties, IngestMetrics metrics,
            Clock clock) {
        this.requests = new NotificationRequests(properties);
        this.publisher = publisher;
        this.rateLimits = rateLimits;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What the request shares among its events; 400 for a malformed Idempotency-Key. */
    NotificationRequests.Ingest ingest(String source, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("Idempotency-Key", "must be 1-255 visible ASCII characters");
        }
        String key = idempotencyKey != null ? idempotencyKey : randomUuid().toString();
        // Milliseconds: what the store keeps, so that the inbox shows exactly what was sent.
        return new NotificationRequests.Ingest(source, key, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A version 4 UUID from {@link ThreadLocalRandom}, not {@link UUID#randomUUID()}'s shared
     * SecureRandom (contended across threads): a generated Idempotency-Key needs to be unique, not
     * secret (it is returned to the caller, and event ids derived from it are public anyway).
     */
    static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /** {@code POST /v1/notifications}. */
    CompletableFuture<Accepted> single(JsonNode body, NotificationRequests.Ingest ingest) {
        return notifications(requests.single(body, ingest), ingest);
    }

    /** {@code POST /v1/notifications/batch}. */
    CompletableFuture<Accepted> batch(JsonNode body, NotificationRequests.Ingest ingest) {
        return notifications(requests.batch(body, ingest), ingest);
    }

    /**
     * {@code POST /v1/channels/{channel}/messages}: one message to every subscriber of a channel,
     * stored once: same fields (without recipients), limits, Idempotency-Key and
     * 202-only-when-durable rules as a notification.
     */
    CompletableFuture<Published> channelMessage(String channel, JsonNode body, NotificationRequests.Ingest ingest) {
        ChannelMessage message = requests.channelMessage(channel, body, ingest);
        return publishing(ingest, 1, () -> publisher.publishAsync(message)).thenApply(cursor -> {
            metrics.published(channel);
            return new Published(channel, message.eventId(), cursor.toString());
        });
    }

    private CompletableFuture<Accepted> notifications(List<Envelope> events, NotificationRequests.Ingest ingest) {
        return publishing(ingest, events.size(), () -> publisher.publishAsync(events)).thenApply(cursors -> {
            List<AcceptedEvent> accepted = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                Envelope event = events.get(i);
                accepted.add(new AcceptedEvent(event.userId(), event.eventId(), cursors.get(i).toString()));
            }
            return new Accepted(accepted);
        });
    }

    /** Publishes {@code events} records within the caller's rate limit; 503 (spending none of it) when Kafka refuses. */
    private <T> CompletableFuture<T> publishing(NotificationRequests.Ingest ingest, int events,
            Supplier<CompletableFuture<T>> publish) {
        rateLimits.acquire(ingest.source(), events);
        CompletableFuture<T> answer = new CompletableFuture<>();
        publish.get().whenComplete((result, failure) -> {
            if (failure == null) {
                metrics.accepted(ingest.source(), events);
                answer.complete(result);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof ApiException refused) {
                // Kafka did not accept the request: it counts against no rate limit.
                rateLimits.giveBack(ingest.source(), events);
                // Records acknowledged before the failure, or whose request reached the broker just as
                // the producer gave up, may be in the stream: a retry with this key yields the same
                // event ids, so the store keeps exactly one copy of each.
                answer.completeExceptionally(refused.with("idempotencyKey", ingest.idempotencyKey()));
            }
            else {
                answer.completeExceptionally(cause);
            }
        });
        return answer;
    }

    record Accepted(List<AcceptedEvent> notifications) {
    }

    record Published(String channel, String eventId, String cursor) {
    }

    record AcceptedEvent(String userId, String eventId, String cursor) {
    }
}
