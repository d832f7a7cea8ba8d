package dev.herald.producer.system;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.herald.auth.ApiKeys;
import dev.herald.support.Authentication;
import dev.herald.support.HeraldChannelProperties;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * producer-api's metrics: {@code herald.producer.events.accepted} (events, by source),
 * {@code herald.producer.channel.messages.published} (by channel family),
 * {@code herald.producer.requests.rejected} (requests, by reason and source) and
 * {@code herald.producer.kafka.send} (time until Kafka acknowledged a request's records, by outcome).
 * Rejections are counted in one place, from the status every refusal ends in. Every source (the
 * configured keys' names, and {@code unauthenticated}) and reason exists from start-up, at 0.
 */
@Component
public class IngestMetrics implements HandlerInterceptor {

    private static final List<String> REASONS = List.of("invalid", "unauthorized", "forbidden", "too_large",
            "rate_limited", "kafka_unavailable", "error", "other");
    private static final String UNAUTHENTICATED = "unauthenticated";

    private final MeterRegistry registry;
    private final HeraldChannelProperties channels;

    public IngestMetrics(MeterRegistry registry, ApiKeys keys, HeraldChannelProperties channels) {
        this.registry = registry;
        this.channels = channels;
        channels.familyLabels().forEach(this::publishedCounter);
        for (String source : keys.names()) {
            accepted(source);
            REASONS.forEach(reason -> rejected(reason, source));
        }
        rejected("unauthorized", UNAUTHENTICATED);
        sendTimer(true);
        sendTimer(false);
    }

    public void accepted(String source, int events) {
        accepted(source).increment(events);
    }

    private Counter accepted(String source) {
        return Counter.builder("herald.producer.events.accepted")
                .description("Events acknowledged by Kafka and answered with 202")
                .tag("source", source)
                .register(registry);
    }

    /** A message was published to {@code channel} (and answered with 202). */
    public void published(String channel) {
        publishedCounter(channels.familyLabel(channel)).increment();
    }

    private Counter publishedCounter(String family) {
        return Counter.builder("herald.producer.channel.messages.published")
                .description("Channel messages acknowledged by Kafka and answered with 202, by channel family")
                .tag("family", family)
                .register(registry);
    }

    public void sent(Duration took, boolean ok) {
        sendTimer(ok).record(took);
    }

    private Timer sendTimer(boolean ok) {
        return Timer.builder("herald.producer.kafka.send")
                .description("Time from the first send until Kafka acknowledged every record of a request")
                .tag("outcome", ok ? "acknowledged" : "failed")
                .register(registry);
    }

    private Counter rejected(String reason, String source) {
        return Counter.builder("herald.producer.requests.rejected")
                .description("Requests refused, by reason")
                .tag("reason", reason)
                .tag("source", source)
                .register(registry);
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        Object source = request.getAttribute(Authentication.SERVICE);
        answered(response.getStatus(), source == null ? null : source.toString());
    }

    /** A request was answered with {@code status}; counted as a rejection from 400 up. {@code source} null when unknown. */
    public void answered(int status, String source) {
        if (status < 400) {
            return;
        }
        rejected(reason(status), source == null ? UNAUTHENTICATED : source).increment();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 413 -> "too_large";
            case 429 -> "rate_limited";
            case 503 -> "kafka_unavailable";
            default -> status >= 500 ? "error" : "other";
        };
    }
}
