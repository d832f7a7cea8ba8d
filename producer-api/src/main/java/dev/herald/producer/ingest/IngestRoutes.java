package dev.herald.producer.ingest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.herald.auth.ApiKeys;
import dev.herald.producer.system.IngestMetrics;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.support.ApiException;
import dev.herald.support.HeraldWebProperties;
import dev.herald.support.JsonBodies;

import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The ingest routes as the Netty front serves them, with Spring MVC's rules for what comes before
 * the controller: CORS for configured origins (as {@code SupportConfiguration} sets it up), the API
 * key with scope {@code send}, then {@link Ingestion}. Every answer is counted in
 * {@code http.server.requests} (the series Spring gives the routes it serves, same tags) and, from
 * 400 up, in {@link IngestMetrics}' rejections.
 */
@Component
class IngestRoutes {

    /** A route served here, with its URI template (the {@code uri} tag). */
    enum Route {
        SINGLE("/v1/notifications"), BATCH("/v1/notifications/batch"), CHANNEL("/v1/channels/{channel}/messages");

        final String template;

        Route(String template) {
            this.template = template;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(IngestRoutes.class);
    private static final String CHANNELS = "/v1/channels/";
    private static final String MESSAGES = "/messages";

    private final Ingestion ingestion;
    private final ApiKeys apiKeys;
    private final IngestMetrics metrics;
    private final int maxDepth;
    private final CorsConfiguration cors;
    private final MeterRegistry registry;
    /** http.server.requests timers by route and status - 100: looked up, not built, per request. */
    private final Timer[][] timers = new Timer[Route.values().length][500];

    IngestRoutes(Ingestion ingestion, ApiKeys apiKeys, IngestMetrics metrics, ProducerProperties properties,
            HeraldWebProperties web, MeterRegistry registry) {
        this.ingestion = ingestion;
        this.apiKeys = apiKeys;
        this.metrics = metrics;
        this.maxDepth = properties.maxJsonDepth();
        this.registry = registry;
        if (web.allowedOrigins().isEmpty()) {
            this.cors = null;
        }
        else {
            // As SupportConfiguration's CorsRegistry mapping of /v1/** builds it.
            CorsConfiguration config = new CorsConfiguration().applyPermitDefaultValues();
            config.setAllowedOrigins(web.allowedOrigins());
            config.setAllowedMethods(List.of("GET", "POST"));
            config.setAllowedHeaders(List.of("Authorization", "Content-Type", "Idempotency-Key"));
            config.setExposedHeaders(List.of("Retry-After"));
            config.setMaxAge(3600L);
            this.cors = config;
        }
        for (Route route : Route.values()) {
            timer(route, 202);
        }
    }

    /** A request's route and its path variable; null when the internal web server should answer it. */
    record Match(Route route, String path, String channel) {
    }

    /** The route of {@code request}, or null for everything else (other paths, other methods, odd encodings). */
    static Match match(HttpRequest request) {
        if (!HttpMethod.POST.equals(request.method())) {
            return null;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (path.indexOf(';') >= 0) {
            return null; // matrix parameters, as Spring strips them
        }
        if (path.equals(Route.SINGLE.template)) {
            return new Match(Route.SINGLE, path, null);
        }
        if (path.equals(Route.BATCH.template)) {
            return new Match(Route.BATCH, path, null);
        }
        if (path.startsWith(CHANNELS) && path.endsWith(MESSAGES) && path.length() > CHANNELS.length() + MESSAGES.length()) {
            String segment = path.substring(CHANNELS.length(), path.length() - MESSAGES.length());
            if (segment.indexOf('/') >= 0 || segment.toLowerCase(Locale.ROOT).contains("%2f")) {
                return null;
            }
            return new Match(Route.CHANNEL, path, QueryStringDecoder.decodeComponent(segment.replace("+", "%2B")));
        }
        return null;
    }

    /** What is known of a request once its head is in: who sent it and its ingest data, or its refusal. */
    static final class Call {

        final Match match;
        final long startedNanos;
        String corsOrigin;
        boolean vary;
        boolean corsRefused;
        String source;
        NotificationRequests.Ingest ingest;
        /** Set when the request is refused before its body: the answer to give. */
        FullHttpResponse refusal;

        Call(Match match, long startedNanos) {
            this.match = match;
            this.startedNanos = startedNanos;
        }
    }

    /**
     * From the request's head: CORS, the API key, the Idempotency-Key, in Spring's order. A refused
     * call carries its answer in {@link Call#refusal}.
     */
    Call start(Match match, HttpRequest request, boolean tls) {
        Call call = new Call(match, System.nanoTime());
        HttpHeaders headers = request.headers();
        if (cors != null) {
            call.vary = true;
            String origin = headers.get(HttpHeaderNames.ORIGIN);
            if (origin != null && !sameOrigin(origin, headers.get(HttpHeaderNames.HOST), tls)) {
                call.corsOrigin = cors.checkOrigin(origin);
                if (call.corsOrigin == null) {
                    call.corsRefused = true;
                    call.refusal = Responses.invalidCors();
                    return call;
                }
            }
        }
        try {
            ApiKeys.Caller caller = apiKeys.authenticate(bearer(headers.get(HttpHeaderNames.AUTHORIZATION)))
                    .orElseThrow(() -> ApiException.unauthorized("the API key is not valid"));
            if (!caller.may(ApiKeys.Scope.SEND)) {
                throw ApiException.forbidden("the API key '" + caller.name() + "' lacks the scope 'send'");
            }
            call.source = caller.name();
            call.ingest = ingestion.ingest(call.source, headers.get("Idempotency-Key"));
        }
        catch (ApiException ex) {
            call.refusal = Responses.problem(ex, match.path());
        }
        return call;
    }

    /** The answer to an accepted call's body: parsed once, validated here, then Kafka's verdict. */
    CompletableFuture<FullHttpResponse> answer(Call call, byte[] body) {
        try {
            JsonNode json = JsonBodies.parse(body, maxDepth);
            CompletableFuture<?> accepted;
            if (call.match.route() == Route.SINGLE) {
                accepted = ingestion.single(json, call.ingest);
            }
            else if (call.match.route() == Route.BATCH) {
                accepted = ingestion.batch(json, call.ingest);
            }
            else {
                accepted = ingestion.channelMessage(call.match.channel(), json, call.ingest);
            }
            return accepted.handle((result, failure) -> {
                if (failure == null) {
                    return Responses.json(HttpResponseStatus.ACCEPTED, result);
                }
                Throwable cause = failure.getCause() != null && !(failure instanceof ApiException) ? failure.getCause() : failure;
                if (cause instanceof ApiException refused) {
                    return Responses.problem(refused, call.match.path());
                }
                log.error("Unexpected error", cause);
                return Responses.internalError(call.match.path());
            });
        }
        catch (ApiException ex) {
            return CompletableFuture.completedFuture(Responses.problem(ex, call.match.path()));
        }
    }

    /** Adds CORS headers as Spring's processor does, and counts the answer. */
    void answered(Call call, FullHttpResponse response) {
        HttpHeaders headers = response.headers();
        if (call.vary) {
            headers.add(Responses.VARY, "Origin");
            headers.add(Responses.VARY, "Access-Control-Request-Method");
            headers.add(Responses.VARY, "Access-Control-Request-Headers");
        }
        if (call.corsOrigin != null) {
            headers.set(Responses.ACCESS_CONTROL_ALLOW_ORIGIN, call.corsOrigin);
            headers.set(Responses.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
        }
        int status = response.status().code();
        if (call.corsRefused) {
            return; // a refused CORS request: Spring's interceptors never see it, nor its metrics
        }
        metrics.answered(status, call.source);
        timer(call.match.route(), status).record(System.nanoTime() - call.startedNanos, TimeUnit.NANOSECONDS);
    }

    /** The problem+json answer to a body past the size limit, for a call that got that far. */
    static FullHttpResponse tooLarge(Call call, long limit) {
        return Responses.problem(ApiException.payloadTooLarge(limit), call.match.path());
    }

    private Timer timer(Route route, int status) {
        int index = Math.min(Math.max(status - 100, 0), 499);
        Timer timer = timers[route.ordinal()][index];
        if (timer == null) {
            timer = Timer.builder("http.server.requests")
                    .tag("error", "none")
                    .tag("exception", "none")
                    .tag("method", "POST")
                    .tag("outcome", outcome(status))
                    .tag("status", Integer.toString(status))
                    .tag("uri", route.template)
                    .register(registry);
            timers[route.ordinal()][index] = timer;
        }
        return timer;
    }

    private static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

    /** As Spring's CorsUtils: an Origin naming this server's own scheme, host and port is not a CORS request. */
    private static boolean sameOrigin(String origin, String host, boolean tls) {
        if (host == null) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            URI self = URI.create((tls ? "https://" : "http://") + host);
            return o.getScheme() != null && o.getScheme().equalsIgnoreCase(self.getScheme()) && o.getHost() != null
                    && o.getHost().equalsIgnoreCase(self.getHost()) && port(o) == port(self);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** As {@code Authentication}'s bearer rule, with its message. */
    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            throw ApiException.unauthorized("send an API key as 'Authorization: Bearer <API key>'");
        }
        return header.substring(7).trim();
    }
}
