package dev.herald.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.auth.InvalidTokenException;
import dev.herald.auth.UserTokens;
import dev.herald.gateway.delivery.OutboundFrame;
import dev.herald.gateway.delivery.PartitionRegistry;
import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.MalformedFrameException;
import dev.herald.schema.frames.ServerFrame;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The {@code /ws} endpoint. A connection must authenticate with its first frame within the auth
 * timeout; then it is attached to its user's partition if this gateway owns it, told where to go
 * (4001) if another gateway does, or held briefly while the partition is being assigned here.
 * Nothing a client sends can hurt other sessions: bad input closes only its own connection.
 */
class GatewayHandler extends AbstractWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    /** Tomcat's per-session bound on a blocking write. */
    private static final String TOMCAT_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final long WAIT_POLL_MILLIS = 250;

    private final GatewayProperties properties;
    private final UserTokens tokens;
    private final PartitionRegistry registry;
    private final GroupOwnership ownership;
    private final LocalGateway local;
    private final SessionExecutors executors;
    private final UserSessionLimits limits;
    private final SessionMetrics metrics;
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();

    GatewayHandler(GatewayProperties properties, UserTokens tokens, PartitionRegistry registry,
            GroupOwnership ownership, LocalGateway local, SessionExecutors executors, MeterRegistry meters) {
        this.properties = properties;
        this.tokens = tokens;
        this.registry = registry;
        this.ownership = ownership;
        this.local = local;
        this.executors = executors;
        this.limits = new UserSessionLimits(properties.maxSessionsPerUser());
        this.metrics = new SessionMetrics(meters);
        meters.gauge("herald.gateway.sessions.open", sessions, Map::size);
        long pingMillis = properties.pingInterval().toMillis();
        executors.timer.scheduleWithFixedDelay(this::pingAll, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        if (socket instanceof StandardWebSocketSession standard && standard.getNativeSession() != null) {
            standard.getNativeSession().getUserProperties().put(TOMCAT_SEND_TIMEOUT, properties.sendTimeout().toMillis());
        }
        ClientSession session = new ClientSession(socket, properties.sessionBufferSize().toBytes(),
                properties.sendTimeout(), executors.senders, executors.closers, this::closing, metrics);
        sessions.put(socket.getId(), session);
        metrics.opened();
        if (sessions.size() > properties.maxSessions()) {
            session.close(CloseCodes.TRY_AGAIN_LATER, "this gateway holds its maximum of " + properties.maxSessions()
                    + " connections; try again later");
            return;
        }
        executors.timer.schedule(() -> {
            if (!session.isAuthenticated()) {
                session.close(CloseCodes.UNAUTHORIZED, "no auth frame within " + properties.authTimeout().toMillis() + " ms");
            }
        }, properties.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        ClientSession session = sessions.get(socket.getId());
        if (session == null || session.isClosing()) {
            return;
        }
        session.heard();
        ClientFrame frame;
        try {
            frame = Frames.decodeClient(message.getPayload());
        }
        catch (MalformedFrameException ex) {
            session.close(CloseCodes.INVALID_PAYLOAD, ex.getMessage());
            return;
        }
        if (!session.isAuthenticated()) {
            if (frame instanceof ClientFrame.Auth auth) {
                authenticate(session, auth);
            }
            else {
                session.close(CloseCodes.UNAUTHORIZED, "the first frame must be {\"type\":\"auth\",\"token\":\"...\"}");
            }
        }
        else if (frame instanceof ClientFrame.Refresh refresh) {
            refresh(session, refresh);
        }
        else if (frame instanceof ClientFrame.Pong) {
            // heard() above is all a pong is for
        }
        else if (frame instanceof ClientFrame.Ping) {
            session.send(OutboundFrame.control("pong", Frames.encode(new ServerFrame.Pong())));
        }
        else if (frame instanceof ClientFrame.Auth) {
            session.send(error("already-authenticated", "this session is already open"));
        }
        else if (frame instanceof ClientFrame.Unknown unknown) {
            session.send(error("unknown-type", "unknown frame type '" + unknown.type() + "'"));
        }
    }

    /** A fresh token for the same user extends the session; anything else is refused with an error frame. */
    private void refresh(ClientSession session, ClientFrame.Refresh refresh) {
        UserTokens.VerifiedToken token;
        try {
            token = tokens.verify(refresh.token());
        }
        catch (InvalidTokenException ex) {
            session.send(error("invalid-token", ex.getMessage() + "; the session ends when its current token expires"));
            return;
        }
        if (!token.userId().equals(session.userId())) {
            session.close(CloseCodes.UNAUTHORIZED, "a refresh token must be for the session's own user");
            return;
        }
        if (token.expiresAt().isAfter(session.tokenExpiresAt())) {
            session.tokenValidUntil(token.expiresAt());
        }
    }

    /**
     * An open session is only as valid as its token: it is closed with 4003 when the token expires,
     * unless a {@code refresh} frame extended it (then the check moves to the new expiry).
     */
    private void closeWhenTokenExpires(ClientSession session) {
        long delay = Math.max(0, Duration.between(Instant.now(), session.tokenExpiresAt()).toMillis());
        session.expiryCheck(executors.timer.schedule(() -> {
            if (session.isClosing() || session.isGone()) {
                return;
            }
            if (Instant.now().isBefore(session.tokenExpiresAt())) {
                closeWhenTokenExpires(session);
            }
            else {
                session.close(CloseCodes.UNAUTHORIZED, "the user token has expired; reconnect with a fresh one, or send a refresh frame before it expires");
            }
        }, delay, TimeUnit.MILLISECONDS));
    }

    private static OutboundFrame error(String code, String message) {
        return OutboundFrame.control("error", Frames.encode(new ServerFrame.Error(code, message)));
    }

    private void authenticate(ClientSession session, ClientFrame.Auth auth) {
        UserTokens.VerifiedToken token;
        try {
            token = tokens.verify(auth.token());
        }
        catch (InvalidTokenException ex) {
            session.close(CloseCodes.UNAUTHORIZED, ex.getMessage());
            return;
        }
        String userId = token.userId();
        Cursor since;
        try {
            since = auth.since() == null ? null : Cursor.parse(auth.since());
        }
        catch (Cursor.MalformedCursorException ex) {
            session.close(CloseCodes.INVALID_PAYLOAD, "since: " + ex.getMessage());
            return;
        }
        int partition;
        try {
            partition = ownership.partitionOf(userId);
        }
        catch (IllegalStateException ex) {
            session.close(CloseCodes.TRY_AGAIN_LATER, "the event stream cannot be reached");
            return;
        }
        if (!limits.acquire(userId)) {
            session.close(CloseCodes.TOO_MANY_CONNECTIONS,
                    "at most " + properties.maxSessionsPerUser() + " sessions per user on one gateway");
            return;
        }
        session.authenticated(userId, partition, since != null);
        session.tokenValidUntil(token.expiresAt());
        closeWhenTokenExpires(session);
        if (session.isClosing()) {
            // Closed meanwhile (e.g. the auth timeout fired). If the connection is already gone,
            // afterConnectionClosed may have run before the slot was taken: give it back here.
            if (session.isGone() && session.releaseSlot()) {
                limits.release(userId);
            }
            return;
        }
        attach(session, partition, since);
        if (session.isGone()) {
            registry.detach(session, partition); // the connection ended while it was being attached
        }
    }

    private void attach(ClientSession session, int partition, Cursor since) {
        switch (registry.attachIfOwned(session, partition, since)) {
            case ATTACHED -> {
                // served now, or as soon as the partition's history is warm
            }
            case SHUT_DOWN -> session.close(CloseCodes.GOING_AWAY, "gateway shutting down");
            case NOT_OWNED -> {
                Optional<String> owner = ownership.routes().ownerOf(partition);
                if (owner.isPresent() && !owner.get().equals(local.publicUrl())) {
                    session.close(CloseCodes.MOVED, owner.get());
                }
                else if (registry.park(session, partition, since) == PartitionRegistry.Attach.NOT_OWNED) {
                    long deadline = System.nanoTime() + properties.assignmentWait().toNanos();
                    executors.timer.schedule(() -> awaitAssignment(session, partition, deadline), WAIT_POLL_MILLIS,
                            TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    /**
     * A parked session waits for its partition to be assigned here (the registry attaches it then);
     * if the group gives the partition to another gateway, or nobody within the wait, the client is
     * sent there, or told to try again.
     */
    private void awaitAssignment(ClientSession session, int partition, long deadline) {
        if (!registry.isParked(session)) {
            return; // attached, or gone
        }
        Optional<String> owner = ownership.routes().ownerOf(partition);
        if (owner.isPresent() && !owner.get().equals(local.publicUrl())) {
            if (registry.unpark(session)) {
                session.close(CloseCodes.MOVED, owner.get());
            }
        }
        else if (System.nanoTime() - deadline >= 0) {
            if (registry.unpark(session)) {
                session.close(CloseCodes.TRY_AGAIN_LATER, "partition " + partition + " has no gateway yet; ask /v1/route again");
            }
        }
        else {
            executors.timer.schedule(() -> awaitAssignment(session, partition, deadline), WAIT_POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        ClientSession session = sessions.get(socket.getId());
        if (session != null) {
            session.close(CloseCodes.UNSUPPORTED_DATA, "frames are JSON text");
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession socket, PongMessage message) {
        ClientSession session = sessions.get(socket.getId());
        if (session != null) {
            session.heard();
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable exception) {
        log.debug("Transport error on session {}: {}", socket.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        ClientSession session = sessions.remove(socket.getId());
        if (session == null) {
            return;
        }
        session.closed();
        if (session.isAuthenticated()) {
            registry.detach(session, session.partition());
            if (session.releaseSlot()) {
                limits.release(session.userId());
            }
        }
        if (!session.closedByGateway()) {
            metrics.closed(status.getCode());
        }
    }

    private void closing(ClientSession session, int code) {
        metrics.closed(code);
        if (code == CloseCodes.TOO_SLOW) {
            log.info("Closing {} as too slow", session);
        }
    }

    /** Pings idle peers, and drops those that stopped answering or whose writes hang. */
    private void pingAll() {
        long silentLimit = properties.pingInterval().toNanos() * 2 + properties.sendTimeout().toNanos();
        long writeLimit = properties.sendTimeout().toNanos();
        for (ClientSession session : sessions.values()) {
            if (session.isClosing() || !session.isAuthenticated()) {
                continue;
            }
            if (session.writingForNanos() > writeLimit) {
                session.close(CloseCodes.TOO_SLOW, "too slow: a write did not complete in time");
            }
            else if (session.silentForNanos() > silentLimit) {
                session.close(CloseCodes.GOING_AWAY, "no answer to pings");
            }
            else {
                session.ping();
            }
        }
    }
}
