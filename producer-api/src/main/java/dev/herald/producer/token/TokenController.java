package dev.herald.producer.token;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import tools.jackson.databind.JsonNode;

import dev.herald.auth.UserTokens;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.Channels;
import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationFields;
import dev.herald.support.ApiException;
import dev.herald.support.JsonBodies;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/tokens}: a backend without a JWT library asks for a user token to hand to its
 * page. The token lets that page read and receive only that user's notifications.
 */
@RestController
class TokenController {

    /** Patterns one token may carry: it travels in every request and WebSocket auth frame. */
    static final int MAX_CHANNEL_PATTERNS = 100;

    private final UserTokens tokens;
    private final ProducerProperties properties;

    TokenController(UserTokens tokens, ProducerProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping("/v1/tokens")
    Token mint(HttpServletRequest request) throws IOException {
        if (!tokens.canMint()) {
            throw ApiException.notImplemented("token minting needs an HS256 secret (herald.security.jwt-secret); "
                    + "this deployment accepts tokens from its identity provider only");
        }
        JsonNode body = JsonBodies.read(request, properties.maxBodySize(), properties.maxJsonDepth());
        if (!body.isObject()) {
            throw ApiException.badRequest("$", "must be a JSON object with userId and optional ttlSeconds");
        }
        List<FieldError> errors = new ArrayList<>();
        body.propertyNames().stream()
                .filter(name -> !name.equals("userId") && !name.equals("ttlSeconds") && !name.equals("channels"))
                .forEach(name -> errors.add(new FieldError(name, "is not a known field")));
        String userId = NotificationFields.userId(body.get("userId"), "userId", errors);
        Duration ttl = ttl(body.get("ttlSeconds"), errors);
        List<String> channels = channels(body.get("channels"), errors);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
        UserTokens.IssuedToken issued = tokens.mint(userId, ttl, channels);
        return new Token(issued.token(), issued.expiresAt());
    }

    /** The channel patterns the token grants (claim {@value UserTokens#CHANNELS_CLAIM}); none when absent. */
    private static List<String> channels(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_CHANNEL_PATTERNS) {
            errors.add(new FieldError("channels", "must be an array of at most " + MAX_CHANNEL_PATTERNS + " channel patterns"));
            return List.of();
        }
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String pattern = node.get(i).isString() ? node.get(i).asString() : null;
            Optional<String> problem = Channels.problemWithPattern(pattern);
            if (problem.isPresent()) {
                errors.add(new FieldError("channels[" + i + "]", problem.get()));
            }
            else {
                patterns.add(pattern);
            }
        }
        return patterns;
    }

    private Duration ttl(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return properties.defaultTokenTtl();
        }
        long max = properties.maxTokenTtl().toSeconds();
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > max) {
            errors.add(new FieldError("ttlSeconds", "must be a whole number of seconds from 1 to " + max));
            return null;
        }
        return Duration.ofSeconds(node.asLong());
    }

    record Token(String token, Instant expiresAt) {
    }
}
