package dev.herald.gateway.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.herald.schema.frames.CloseCodes;

/**
 * The session side's meters (names as the Grafana dashboards expect them). Every label value the
 * gateway itself produces is registered at start-up, at 0, so dashboards never show "no data".
 */
final class SessionMetrics {

    /** The close codes the gateway sends, and 1006 for a connection that just went away. */
    private static final List<Integer> CLOSE_CODES = List.of(CloseCodes.NORMAL, CloseCodes.GOING_AWAY,
            CloseCodes.UNSUPPORTED_DATA, 1006, CloseCodes.INVALID_PAYLOAD, CloseCodes.MESSAGE_TOO_BIG,
            CloseCodes.TRY_AGAIN_LATER, CloseCodes.MOVED, CloseCodes.UNAUTHORIZED, CloseCodes.TOO_SLOW,
            CloseCodes.TOO_MANY_CONNECTIONS);
    private static final List<String> FRAME_TYPES = List.of("welcome", "notification", "read", "resync", "ping",
            "pong", "error", "subscribed", "message", "unsubscribed");
    private static final List<String> RESUMES = List.of("none", "history", "resync");

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
        CLOSE_CODES.forEach(code -> closedCounter(Integer.toString(code)));
        FRAME_TYPES.forEach(this::deliveredCounter);
        RESUMES.forEach(this::resumesCounter);
    }

    private Counter closedCounter(String code) {
        return closed.computeIfAbsent(code, tag -> Counter.builder("herald.gateway.sessions.closed")
                .description("sessions closed, by close code").tag("code", tag).register(meters));
    }

    private Counter deliveredCounter(String type) {
        return delivered.computeIfAbsent(type, tag -> Counter.builder("herald.gateway.frames.delivered")
                .description("frames written to sockets, by type").tag("type", tag).register(meters));
    }

    private Counter resumesCounter(String from) {
        return resumes.computeIfAbsent(from, tag -> Counter.builder("herald.gateway.resumes")
                .description("sessions opened, by where their resume came from").tag("from", tag).register(meters));
    }

    void opened() {
        opened.increment();
    }

    void closed(int code) {
        closedCounter(Integer.toString(code)).increment();
        if (code == CloseCodes.TOO_SLOW) {
            slowClosed.increment();
        }
    }

    /** How a session started: {@code none} (no cursor), {@code history} (resumed from memory) or {@code resync}. */
    void resumed(String from) {
        resumesCounter(from).increment();
    }

    void written(String type, long timestampMillis) {
        deliveredCounter(type).increment();
        if (timestampMillis > 0) {
            latency.record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - timestampMillis)));
        }
    }
}
