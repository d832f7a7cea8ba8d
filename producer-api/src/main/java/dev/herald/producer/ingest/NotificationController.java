package dev.herald.producer.ingest;

import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import dev.herald.producer.system.IngestMetrics;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.ChannelMessage;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;
import dev.herald.support.JsonBodies;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/notifications}, {@code /v1/notifications/batch} and
 * {@code /v1/channels/{channel}/messages}: 202 once Kafka has every event.
 */
@RestController
class NotificationController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final NotificationRequests requests;
    private final EventPublisher publisher;
    private final RateLimits rateLimits;
    private final ProducerProperties properties;
    private final IngestMetrics metrics;
    private final Clock clock;

    NotificationController(EventPublisher publisher, RateLimits rateLimits, ProducerProperties properties,
            IngestMetrics metrics, Clock clock) {
        this.requests = new NotificationRequests(properties);
        this.publisher = publisher;
        this.rateLimits = rateLimits;
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    @PostMapping("/v1/notifications")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted send(HttpServletRequest request, @RequestAttribute(Authentication.SERVICE) String source,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        NotificationRequests.Ingest ingest = ingest(source, idempotencyKey);
        return publish(requests.single(JsonBodies.read(request, properties.maxBodySize(), properties.maxJsonDepth()), ingest), ingest);
    }

    @PostMapping("/v1/notifications/batch")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted sendBatch(HttpServletRequest request, @RequestAttribute(Authentication.SERVICE) String source,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        NotificationRequests.Ingest ingest = ingest(source, idempotencyKey);
        return publish(requests.batch(JsonBodies.read(request, properties.maxBodySize(), properties.maxJsonDepth()), ingest), ingest);
    }

    /**
     * One message to every subscriber of a channel, stored once: same fields (without recipients),
     * limits, Idempotency-Key and 202-only-when-durable rules as a notification.
     */
    @PostMapping("/v1/channels/{channel}/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Published publishToChannel(HttpServletRequest request, @PathVariable String channel,
            @RequestAttribute(Authentication.SERVICE) String source,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        NotificationRequests.Ingest ingest = ingest(source, idempotencyKey);
        ChannelMessage message = requests.channelMessage(channel,
                JsonBodies.read(request, properties.maxBodySize(), properties.maxJsonDepth()), ingest);
        Cursor cursor = publishing(ingest, 1, () -> List.of(publisher.publish(message))).get(0);
        metrics.published(channel);
        return new Published(channel, message.eventId(), cursor.toString());
    }

    private NotificationRequests.Ingest ingest(String source, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("Idempotency-Key", "must be 1-255 visible ASCII characters");
        }
        String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
        // Milliseconds: what the store keeps, so that the inbox shows exactly what was sent.
        return new NotificationRequests.Ingest(source, key, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private Accepted publish(List<Envelope> events, NotificationRequests.Ingest ingest) {
        List<Cursor> cursors = publishing(ingest, events.size(), () -> publisher.publish(events));
        List<AcceptedEvent> accepted = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            accepted.add(new AcceptedEvent(events.get(i).userId(), events.get(i).eventId(), cursors.get(i).toString()));
        }
        return new Accepted(accepted);
    }

    /** Publishes {@code events} records within the caller's rate limit; 503 (spending none of it) when Kafka refuses. */
    private List<Cursor> publishing(NotificationRequests.Ingest ingest, int events, Supplier<List<Cursor>> publish) {
        rateLimits.acquire(ingest.source(), events);
        List<Cursor> cursors;
        try {
            cursors = publish.get();
        }
        catch (ApiException ex) {
            // Kafka did not accept the request: it counts against no rate limit.
            rateLimits.giveBack(ingest.source(), events);
            // Records acknowledged before the failure, or whose request reached the broker just as
            // the producer gave up, may be in the stream: a retry with this key yields the same
            // event ids, so the store keeps exactly one copy of each.
            throw ex.with("idempotencyKey", ingest.idempotencyKey());
        }
        metrics.accepted(ingest.source(), events);
        return cursors;
    }

    record Accepted(List<AcceptedEvent> notifications) {
    }

    record Published(String channel, String eventId, String cursor) {
    }

    record AcceptedEvent(String userId, String eventId, String cursor) {
    }
}
