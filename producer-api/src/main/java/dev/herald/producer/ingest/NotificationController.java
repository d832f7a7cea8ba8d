package dev.herald.producer.ingest;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.servlet.http.HttpServletRequest;

import tools.jackson.databind.JsonNode;

import dev.herald.producer.system.ProducerProperties;
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
 * The ingest routes on Spring MVC, for what reaches them on the internal web server: the dev
 * helpers' forwards ({@code /dev/notifications}). Clients' requests are served by {@link IngestServer}
 * on the public port; both go through {@link Ingestion}, so the rules are the same.
 */
@RestController
class NotificationController {

    private final Ingestion ingestion;
    private final ProducerProperties properties;

    NotificationController(Ingestion ingestion, ProducerProperties properties) {
        this.ingestion = ingestion;
        this.properties = properties;
    }

    @PostMapping("/v1/notifications")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Ingestion.Accepted send(HttpServletRequest request, @RequestAttribute(Authentication.SERVICE) String source,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        NotificationRequests.Ingest ingest = ingestion.ingest(source, idempotencyKey);
        return join(ingestion.single(body(request), ingest));
    }

    @PostMapping("/v1/notifications/batch")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Ingestion.Accepted sendBatch(HttpServletRequest request, @RequestAttribute(Authentication.SERVICE) String source,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        NotificationRequests.Ingest ingest = ingestion.ingest(source, idempotencyKey);
        return join(ingestion.batch(body(request), ingest));
    }

    @PostMapping("/v1/channels/{channel}/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Ingestion.Published publishToChannel(HttpServletRequest request, @PathVariable String channel,
            @RequestAttribute(Authentication.SERVICE) String source,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        NotificationRequests.Ingest ingest = ingestion.ingest(source, idempotencyKey);
        return join(ingestion.channelMessage(channel, body(request), ingest));
    }

    private JsonNode body(HttpServletRequest request) throws IOException {
        return JsonBodies.read(request, properties.maxBodySize(), properties.maxJsonDepth());
    }

    private static <T> T join(CompletableFuture<T> answer) {
        try {
            return answer.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw ex;
        }
    }
}
