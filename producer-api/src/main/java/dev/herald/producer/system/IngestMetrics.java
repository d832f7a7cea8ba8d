package dev.herald.producer.system;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.herald.support.Authentication;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * producer-api's metrics: {@code herald.producer.events.accepted} (events, by source),
 * {@code herald.producer.requests.rejected} (requests, by reason and source) and
 * {@code herald.producer.kafka.send} (time until Kafka acknowledged a request's records, by outcome).
 * Rejections are counted in one place, from the status every refusal ends in.
 */
@Component
public class IngestMetrics implements HandlerInterceptor {

    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String source, int events) {
        Counter.builder("herald.producer.events.accepted")
                .description("Events acknowledged by Kafka and answered with 202")
                .tag("source", source)
                .register(registry)
                .increment(events);
    }

    public void sent(Duration took, boolean ok) {
        Timer.builder("herald.producer.kafka.send")
                .description("Time from the first send until Kafka acknowledged every record of a request")
                .tag("outcome", ok ? "acknowledged" : "failed")
                .register(registry)
                .record(took);
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        int status = response.getStatus();
        if (status < 400) {
            return;
        }
        Object source = request.getAttribute(Authentication.SERVICE);
        Counter.builder("herald.producer.requests.rejected")
                .description("Requests refused, by reason")
                .tag("reason", reason(status))
                .tag("source", source == null ? "unauthenticated" : source.toString())
                .register(registry)
                .increment();
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 413 -> "too_large";
            case 503 -> "kafka_unavailable";
            default -> status >= 500 ? "error" : "other";
        };
    }
}
