package dev.herald.producer.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.JsonNode;

import dev.herald.auth.UserTokens;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationFields;
import dev.herald.support.ApiException;
import dev.herald.support.Authentication;
import dev.herald.support.JsonBodies;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * What the demo page needs so that it never holds an API key: a user token for any user (granting
 * {@code herald.dev.channels}), a way to send that user a notification, and where the store and the
 * gateways are. Development only.
 */
@RestController
@ConditionalOnBooleanProperty("herald.dev.enabled")
class DevController {

    private static final Duration TOKEN_TTL = Duration.ofHours(1);
    private static final Set<String> NOTIFICATION_FIELDS = Set.of("userId", "type", "title", "body");
    private static final Set<String> CHANNEL_MESSAGE_FIELDS = Set.of("type", "title", "body");

    private final UserTokens tokens;
    private final DevProperties dev;
    private final ProducerProperties producer;

    DevController(UserTokens tokens, DevProperties dev, ProducerProperties producer) {
        this.tokens = tokens;
        this.dev = dev;
        this.producer = producer;
    }

    @PostMapping("/dev/tokens")
    Token token(HttpServletRequest request) throws IOException {
        JsonNode body = object(request, Set.of("userId"));
        List<FieldError> errors = new ArrayList<>();
        String userId = NotificationFields.userId(body.get("userId"), "userId", errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        UserTokens.IssuedToken issued = tokens.mint(userId, TOKEN_TTL, dev.channels());
        return new Token(issued.token(), issued.expiresAt());
    }

    /**
     * Sends through {@code POST /v1/notifications} itself (a forward, as the service named
     * {@code herald.dev.source}), so that validation, idempotency, rate limits and "202 only once
     * Kafka has it" are exactly the real endpoint's.
     */
    @PostMapping("/dev/notifications")
    void send(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        JsonNode body = object(request, NOTIFICATION_FIELDS);
        byte[] json = EnvelopeCodec.mapper().writeValueAsBytes(body);
        request.setAttribute(Authentication.SERVICE, dev.source());
        request.getRequestDispatcher("/v1/notifications").forward(new ServiceRequest(request, json), response);
    }

    /** Publishes through {@code POST /v1/channels/{channel}/messages} itself, as {@code /dev/notifications} sends. */
    @PostMapping("/dev/channels/{channel}/messages")
    void publish(@PathVariable String channel, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        JsonNode body = object(request, CHANNEL_MESSAGE_FIELDS);
        byte[] json = EnvelopeCodec.mapper().writeValueAsBytes(body);
        request.setAttribute(Authentication.SERVICE, dev.source());
        request.getRequestDispatcher("/v1/channels/" + UriUtils.encodePathSegment(channel, StandardCharsets.UTF_8)
                + "/messages").forward(new ServiceRequest(request, json), response);
    }

    @GetMapping("/dev/config")
    Config config() {
        return new Config(dev.storeUrl(), dev.gatewayUrl());
    }

    private JsonNode object(HttpServletRequest request, Set<String> fields) throws IOException {
        JsonNode body = JsonBodies.read(request, producer.maxBodySize());
        if (!body.isObject()) {
            throw ApiException.badRequest("$", "must be a JSON object with " + String.join(", ", new TreeSet<>(fields)));
        }
        List<FieldError> errors = new ArrayList<>();
        body.propertyNames().stream()
                .filter(name -> !fields.contains(name))
                .forEach(name -> errors.add(new FieldError(name, "is not a known field")));
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        return body;
    }

    record Token(String token, Instant expiresAt) {
    }

    record Config(String storeUrl, String gatewayUrl) {
    }
}
