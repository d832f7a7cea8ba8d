package dev.herald.gateway.system;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Behaviour of push-gateway.
 *
 * @param publicUrl the WebSocket URL clients use to reach this gateway (e.g. wss://push-1.example.com/ws);
 *        empty means ws://{advertisedHost}:{websocketPort as bound}/ws (wss:// when the server serves TLS)
 * @param websocketPort the port of the WebSocket server ({@code /ws}), apart from {@code server.port} (REST,
 *        actuator); 0 takes any free port
 * @param advertisedHost the host of the derived public URL when {@code publicUrl} is empty
 * @param historySize events kept per owned partition for resume
 * @param historyPerUser events kept for one user within a partition's history, so that a noisy user evicts its
 *        own events first
 * @param historyAge how old a kept event may be; a client that reconnects within this resumes from memory
 * @param authTimeout how long a new connection may take to send its auth frame
 * @param maxFrameSize the largest frame a client may send (closed with 1009 above it)
 * @param sessionBufferSize the outbound bytes pending per session before it is closed with 4008 as too slow
 * @param sendTimeout the longest a pending write may go without completing; a peer slower than that is closed with 4008
 * @param pingInterval how often idle sessions are pinged; a peer that does not answer for two intervals is dropped
 * @param maxSessionsPerUser the sessions one user may hold on one gateway (4029 above it)
 * @param maxSubscriptionsPerSession the channels one session may subscribe to at once
 * @param maxSessions the connections one gateway holds at most; more are closed with 1013 (try again later)
 * @param routeCacheTtl how long a read of the group's assignment is reused by {@code /v1/route} and redirects
 * @param assignmentWait how long a session for a partition that is being (re)assigned waits for it
 *        before it is told to go elsewhere
 * @param ioThreads the WebSocket server's event-loop threads; 0 means one per available processor
 * @param groupSessionTimeout the consumer's {@code session.timeout.ms} in group {@code herald-gateway}: how long
 *        the group waits for a silent member before it moves that member's partitions, when no peer can prove
 *        the member dead (see {@code peerProbeInterval}); it must lie within the broker's
 *        {@code group.min.session.timeout.ms} (6s by default) and {@code group.max.session.timeout.ms}
 * @param groupHeartbeatInterval the consumer's {@code heartbeat.interval.ms}: also how soon a member hears that
 *        the group rebalances; at most a third of {@code groupSessionTimeout}
 * @param peerProbeInterval how often each gateway checks that the WebSocket ports of the other members accept
 *        connections; a peer whose port refused twice ({@code peerProbeConfirm} apart) after it had accepted
 *        before is removed from the group at once (it is a static member), so its partitions move without
 *        waiting for {@code groupSessionTimeout}. 0 turns this off: dynamic membership, and a crashed gateway's
 *        partitions move after the session timeout
 * @param peerProbeConfirm the wait between the first refusal and the probe that confirms it
 */
@Validated
@ConfigurationProperties("herald.gateway")
public record GatewayProperties(
        @DefaultValue("") String publicUrl,
        @DefaultValue("8090") @Min(0) @Max(65535) int websocketPort,
        @DefaultValue("127.0.0.1") @NotBlank String advertisedHost,
        @DefaultValue("5000") @Min(1) @Max(10_000_000) int historySize,
        @DefaultValue("500") @Min(1) @Max(10_000_000) int historyPerUser,
        @DefaultValue("10m") @NotNull Duration historyAge,
        @DefaultValue("5s") @NotNull Duration authTimeout,
        @DefaultValue("16KB") @NotNull DataSize maxFrameSize,
        @DefaultValue("1MB") @NotNull DataSize sessionBufferSize,
        @DefaultValue("10s") @NotNull Duration sendTimeout,
        @DefaultValue("25s") @NotNull Duration pingInterval,
        @DefaultValue("20") @Min(1) int maxSessionsPerUser,
        @DefaultValue("100") @Min(1) @Max(100_000) int maxSubscriptionsPerSession,
        @DefaultValue("50000") @Min(1) int maxSessions,
        @DefaultValue("1s") @NotNull Duration routeCacheTtl,
        @DefaultValue("10s") @NotNull Duration assignmentWait,
        @DefaultValue("0") @Min(0) @Max(1024) int ioThreads,
        @DefaultValue("10s") @NotNull Duration groupSessionTimeout,
        @DefaultValue("1s") @NotNull Duration groupHeartbeatInterval,
        @DefaultValue("500ms") @NotNull Duration peerProbeInterval,
        @DefaultValue("300ms") @NotNull Duration peerProbeConfirm) {

    @AssertTrue(message = "herald.gateway.public-url must be a ws:// or wss:// URL (or empty to derive it from the port)")
    boolean isPublicUrlValid() {
        return publicUrl == null || publicUrl.isBlank() || publicUrl.startsWith("ws://") || publicUrl.startsWith("wss://");
    }

    @AssertTrue(message = "herald.gateway.history-age, auth-timeout, send-timeout, ping-interval and assignment-wait must be positive")
    boolean isDurationsPositive() {
        return positive(historyAge) && positive(authTimeout) && positive(sendTimeout) && positive(pingInterval)
                && positive(assignmentWait) && routeCacheTtl != null && !routeCacheTtl.isNegative();
    }

    @AssertTrue(message = "herald.gateway.max-frame-size and session-buffer-size must be at least 1KB")
    boolean isSizesValid() {
        return maxFrameSize != null && maxFrameSize.toBytes() >= 1024 && sessionBufferSize != null
                && sessionBufferSize.toBytes() >= 1024;
    }

    @AssertTrue(message = "herald.gateway.group-heartbeat-interval must be positive and at most a third of group-session-timeout, "
            + "which must be at least 1s (and within the broker's group.min/max.session.timeout.ms, 6s to 30m by default)")
    boolean isGroupTimingValid() {
        return groupSessionTimeout != null && groupSessionTimeout.toMillis() >= 1000 && positive(groupHeartbeatInterval)
                && groupHeartbeatInterval.toMillis() * 3 <= groupSessionTimeout.toMillis();
    }

    @AssertTrue(message = "herald.gateway.peer-probe-interval must be 0 (off) or at least 100ms, "
            + "and peer-probe-confirm between 10ms and 10s")
    boolean isPeerProbeValid() {
        return peerProbeInterval != null && !peerProbeInterval.isNegative()
                && (peerProbeInterval.isZero() || peerProbeInterval.toMillis() >= 100) && peerProbeConfirm != null
                && peerProbeConfirm.toMillis() >= 10 && peerProbeConfirm.toMillis() <= 10_000;
    }

    /** Whether gateways probe each other and remove a peer proven dead (static membership). */
    public boolean removesDeadPeers() {
        return !peerProbeInterval.isZero();
    }

    /** The event-loop threads to start. */
    public int eventLoopThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
