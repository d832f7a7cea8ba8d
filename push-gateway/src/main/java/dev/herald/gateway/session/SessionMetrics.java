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
            "pong", "error", "subscribed", "message", "unsubscribed", "state");
    private static final List<String> RESUMES = List.of("none", "history", "resync");
    /** The auth frame's {@code sdk} as a tag: Herald's own SDKs by name, any other as {@code other}. */
    static final String BROWSER_SDK = "herald-browser";
    private static final List<String> SDKS = List.of(BROWSER_SDK, "other", "none");

    private final MeterRegistry meters;
    private final Counter opened;
    private final Counter slowClosed;
    private final Timer latency;
    private final Map<String, Counter> delivered = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, Counter> resumes = new ConcurrentHashMap<>();
    private final Map<String, Counter> authenticated = new ConcurrentHashMap<>();

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
        // Only these three values, whatever clients send: a tag per client string would let any
        // client grow the gateway's series without bound.
        for (String sdk : SDKS) {
            authenticated.put(sdk, Counter.builder("herald.gateway.sessions.authenticated")
                    .description("sessions authenticated, by the SDK their auth frame named").tag("sdk", sdk).register(meters));
        }
    }

    /** The {@code sdk} tag for an auth frame's {@code sdk} field ({@code <name>/<version>}, or null). */
    static String sdkTag(String sdk) {
        if (sdk == null || sdk.isBlank()) {
            return "none";
        }
        int slash = sdk.indexOf('/');
        return (slash < 0 ? sdk : sdk.substring(0, slash)).equals(BROWSER_SDK) ? BROWSER_SDK : "other";
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

    /** A session authenticated; {@code sdk} is what its auth frame named (null: nothing). */
    void authenticated(String sdk) {
        authenticated.get(sdkTag(sdk)).increment();
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
