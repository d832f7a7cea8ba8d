package dev.herald.gateway.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The session side's meters (names as the Grafana dashboards expect them). */
final class SessionMetrics {

    private final MeterRegistry meters;
    private final Counter opened;
    private final Counter slowClosed;
    private final Timer latency;
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, Counter> resumes = new ConcurrentHashMap<>();

    SessionMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.opened = Counter.builder("herald.gateway.sessions.opened").description("WebSocket sessions opened")
                .register(meters);
        this.slowClosed = Counter.builder("herald.gateway.slow.consumer.closes")
                .description("sessions closed with 4008 because they did not keep up").register(meters);
        this.latency = Timer.builder("herald.gateway.delivery.latency")
                .description("from the event's record timestamp (producer-api accepting it) to its frame written to a socket")
                .register(meters);
    }

    void opened() {
        opened.increment();
    }

    void closed(int code) {
        closed.computeIfAbsent(Integer.toString(code), tag -> Counter.builder("herald.gateway.sessions.closed")
                .description("sessions closed, by close code").tag("code", tag).register(meters)).increment();
        if (code == dev.herald.schema.frames.CloseCodes.TOO_SLOW) {
            slowClosed.increment();
        }
    }

    /** How a session started: {@code none} (no cursor), {@code history} (resumed from memory) or {@code resync}. */
    void resumed(String from) {
        resumes.computeIfAbsent(from, tag -> Counter.builder("herald.gateway.resumes")
                .description("sessions opened, by where their resume came from").tag("from", tag).register(meters))
                .increment();
    }

    void written(String type, long timestampMillis) {
        delivered.computeIfAbsent(type, tag -> Counter.builder("herald.gateway.frames.delivered")
                .description("frames written to sockets, by type").tag("type", tag).register(meters)).increment();
        if (timestampMillis > 0) {
            latency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - timestampMillis)));
        }
    }
}
