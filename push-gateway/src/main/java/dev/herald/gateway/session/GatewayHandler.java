package dev.herald.gateway.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.auth.InvalidTokenException;
import dev.herald.auth.UserTokens;
import dev.herald.gateway.channels.ChannelHub;
import dev.herald.gateway.channels.ChannelMetrics;
import dev.herald.gateway.ownership.OutboundFrame;
import dev.herald.gateway.ownership.Ownership;
import dev.herald.gateway.receipts.ReceiptEmitter;
import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Channels;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.MalformedFrameException;
import dev.herald.schema.frames.ServerFrame;

import org.springframework.stereotype.Component;

/**
 * The sessions of {@code /ws}, whatever transport carries them ({@link WebSocketServer} calls the
 * {@code on*} methods from a connection's event loop). A connection must authenticate with its
 * first frame within the auth timeout; then it is attached to its user's partition if this
 * gateway owns it, told where to go (4001) if another gateway does, or held briefly while the
 * partition is being assigned here. Nothing a client sends can hurt other sessions: bad input
 * closes only its own connection.
 *
 * <p>One sweep, not a timer per session, enforces the auth timeout, pings, token expiry and the
 * send timeout: an idle session costs the gateway no scheduled task.
 */
@Component
class GatewayHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final OutboundFrame PONG = OutboundFrame.control("pong", Frames.encode(new ServerFrame.Pong()));

    private final GatewayProperties properties;
    private final UserTokens tokens;
    private final Ownership ownership;
    private final GroupOwnership routes;
    private final ChannelHub channels;
    private final ChannelMetrics channelMetrics;
    private final SessionExecutors executors;
    private final UserSessionLimits limits;
    private final SessionMetrics metrics;
    private final ReceiptEmitter receipts;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    /** Set by {@link #closeAll}: sessions that open after it are closed the same way at once. */
    private volatile Close closingAll;
    private final long sweepMillis;
    private long lastPingNanos = System.nanoTime();

    private record Close(int code, String reason) {
    }

    GatewayHandler(GatewayProperties properties, UserTokens tokens, Ownership ownership, GroupOwnership routes,
            ChannelHub channels, ChannelMetrics channelMetrics, SessionExecutors executors, ReceiptEmitter receipts,
            MeterRegistry meters) {
        this.receipts = receipts;
        this.properties = properties;
        this.tokens = tokens;
        this.ownership = ownership;
        this.routes = routes;
        this.channels = channels;
        this.channelMetrics = channelMetrics;
        this.executors = executors;
        this.limits = new UserSessionLimits(properties.maxSessionsPerUser());
        this.metrics = new SessionMetrics(meters);
        meters.gauge("herald.gateway.sessions.open", sessions, Set::size);
        // Often enough for the auth timeout to be kept within a quarter of itself, at most once a second.
        this.sweepMillis = Math.max(50, Math.min(1000, properties.authTimeout().toMillis() / 4));
        executors.timer.scheduleWithFixedDelay(this::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
    }

    SessionMetrics metrics() {
        return metrics;
    }

    /** A connection completed its WebSocket handshake. */
    ClientSession onOpen(Socket socket) {
        ClientSession session = new ClientSession(socket, properties.sessionBufferSize().toBytes(), this::closing, metrics);
        sessions.add(session);
        metrics.opened();
        // After the set is read by closeAll or before: either it or this closes the session.
        Close all = closingAll;
        if (all != null) {
            session.close(all.code(), all.reason());
            return session;
        }
        if (sessions.size() > properties.maxSessions()) {
            session.close(CloseCodes.TRY_AGAIN_LATER, "this gateway holds its maximum of " + properties.maxSessions()
                    + " connections; try again later");
        }
        return session;
    }

    /** A text frame (a whole message). Runs on the connection's event loop: nothing here may block. */
    void onText(ClientSession session, String text) {
        if (session.isClosing()) {
            return;
        }
        session.heard();
        ClientFrame frame;
        try {
            frame = Frames.decodeClient(text);
        }
        catch (MalformedFrameException ex) {
            session.close(CloseCodes.INVALID_PAYLOAD, ex.getMessage());
            return;
        }
        if (!session.isAuthenticated()) {
            if (frame instanceof ClientFrame.Auth auth) {
                // Checking may read the group from Kafka: off the event loop, and the client's next
                // frames wait unread until it is done, so they are handled in order.
                session.authenticating(true);
                session.socket().pauseReading();
                executors.work.execute(() -> {
                    try {
                        authenticate(session, auth);
                    }
                    finally {
                        session.authenticating(false);
                        session.socket().resumeReading();
                    }
                });
            }
            else {
                session.close(CloseCodes.UNAUTHORIZED, "the first frame must be {\"type\":\"auth\",\"token\":\"...\"}");
            }
        }
        else if (frame instanceof ClientFrame.Refresh refresh) {
            refresh(session, refresh);
        }
        else if (frame instanceof ClientFrame.Subscribe subscribe) {
            subscribe(session, subscribe);
        }
        else if (frame instanceof ClientFrame.Unsubscribe unsubscribe) {
            unsubscribe(session, unsubscribe.channel(), "unsubscribed");
        }
        else if (frame instanceof ClientFrame.Seen seen) {
            // Validated by the decoder (1-100 eventIds); ids the user never had are harmless.
            receipts.seen(session.userId(), seen.eventIds());
        }
        else if (frame instanceof ClientFrame.Pong) {
            // heard() above is all a pong is for
        }
        else if (frame instanceof ClientFrame.Ping) {
            session.reply(PONG);
        }
        else if (frame instanceof ClientFrame.Auth) {
            session.reply(error("already-authenticated", "this session is already open"));
        }
        else if (frame instanceof ClientFrame.Unknown unknown) {
            session.reply(error("unknown-type", "unknown frame type '" + unknown.type() + "'"));
        }
    }

    void onBinary(ClientSession session) {
        session.close(CloseCodes.UNSUPPORTED_DATA, "frames are JSON text");
    }

    /** An answer to a protocol ping. */
    void onPong(ClientSession session) {
        session.heard();
    }

    /** The transport refused what the client sent (e.g. 1009 for a frame over the limit, 1007 for bad UTF-8). */
    void onProtocolError(ClientSession session, int code, String reason) {
        session.close(code, reason);
    }

    /** The connection has ended; {@code code} is the client's close code, or 1006 if it just went away. */
    void onClosed(ClientSession session, int code) {
        if (!sessions.remove(session)) {
            return;
        }
        session.closed();
        session.subscriptions().values().forEach(channels::unsubscribe);
        session.subscriptions().clear();
        if (session.isAuthenticated()) {
            ownership.detach(session, session.partition());
            if (session.releaseSlot()) {
                limits.release(session.userId());
            }
        }
        if (!session.closedByGateway()) {
            metrics.closed(code);
        }
    }

    /**
     * Closes every session with {@code code}, e.g. 1001 as the server stops, and from now on every
     * session that opens; completes when the close frames of those open now are out.
     */
    CompletableFuture<Void> closeAll(int code, String reason) {
        closingAll = new Close(code, reason);
        return CompletableFuture.allOf(sessions.stream()
                .map(session -> session.close(code, reason)).toArray(CompletableFuture[]::new));
    }

    /** A fresh token for the same user extends the session; anything else is refused with an error frame. */
    private void refresh(ClientSession session, ClientFrame.Refresh refresh) {
        UserTokens.VerifiedToken token;
        try {
            token = tokens.verify(refresh.token());
        }
        catch (InvalidTokenException ex) {
            session.reply(error("invalid-token", ex.getMessage() + "; the session ends when its current token expires"));
            return;
        }
        if (!token.userId().equals(session.userId())) {
            session.close(CloseCodes.UNAUTHORIZED, "a refresh token must be for the session's own user");
            return;
        }
        if (token.expiresAt().toEpochMilli() > session.tokenExpiresAtMillis()) {
            session.tokenValidUntil(token.expiresAt().toEpochMilli());
        }
        // The session now holds what the fresh token grants: subscriptions beyond it end.
        session.grantedChannels(token.channels());
        for (String channel : List.copyOf(session.subscriptions().keySet())) {
            if (!Channels.anyGrants(token.channels(), channel)) {
                unsubscribe(session, channel, "the refreshed token does not grant this channel");
            }
        }
    }

    /**
     * Subscribes the session to a channel its token grants, from {@code since} (or from now on).
     * Every refusal is an {@code error} frame naming the channel; the session stays open. A second
     * subscribe to the same channel replaces the first (e.g. to resume from another cursor).
     */
    private void subscribe(ClientSession session, ClientFrame.Subscribe subscribe) {
        String channel = subscribe.channel();
        Optional<String> badName = Channels.problemWith(channel);
        if (badName.isPresent()) {
            session.reply(error("invalid-channel", "channel " + badName.get(), channel));
            return;
        }
        if (!Channels.anyGrants(session.grantedChannels(), channel)) {
            session.reply(error("channel-forbidden", "the user token does not grant channel '" + channel
                    + "' (claim '" + UserTokens.CHANNELS_CLAIM + "')", channel));
            return;
        }
        Cursor since;
        try {
            since = subscribe.since() == null ? null : Cursor.parse(subscribe.since());
        }
        catch (Cursor.MalformedCursorException ex) {
            session.reply(error("invalid-cursor", "since: " + ex.getMessage(), channel));
            return;
        }
        ChannelSubscription previous = session.subscriptions().remove(channel);
        if (previous != null) {
            channels.unsubscribe(previous);
        }
        else if (session.subscriptions().size() >= properties.maxSubscriptionsPerSession()) {
            session.reply(error("subscription-limit", "a session may subscribe to at most "
                    + properties.maxSubscriptionsPerSession() + " channels; unsubscribe from one first", channel));
            return;
        }
        ChannelSubscription subscription = new ChannelSubscription(session, channel, channelMetrics);
        if (channels.subscribe(subscription, since) == ChannelHub.Subscribed.NOT_READY) {
            session.reply(error("channels-unavailable", "the gateway is not reading channels yet; subscribe again shortly",
                    channel));
            return;
        }
        session.subscriptions().put(channel, subscription);
        if (session.isGone()) {
            channels.unsubscribe(subscription); // the connection ended meanwhile
        }
    }

    private void unsubscribe(ClientSession session, String channel, String reason) {
        ChannelSubscription subscription = channel == null ? null : session.subscriptions().remove(channel);
        if (subscription != null) {
            channels.unsubscribe(subscription);
        }
        session.reply(OutboundFrame.control("unsubscribed", Frames.encode(new ServerFrame.Unsubscribed(channel, reason))));
    }

    private static OutboundFrame error(String code, String message) {
        return error(code, message, null);
    }

    private static OutboundFrame error(String code, String message, String channel) {
        return OutboundFrame.control("error", Frames.encode(new ServerFrame.Error(code, message, channel)));
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
            partition = routes.partitionOf(userId);
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
        metrics.authenticated(auth.sdk());
        session.tokenValidUntil(token.expiresAt().toEpochMilli());
        session.grantedChannels(token.channels());
        if (session.isClosing()) {
            // Closed meanwhile (e.g. the auth timeout fired). If the connection is already gone,
            // onClosed may have run before the slot was taken: give it back here.
            if (session.isGone() && session.releaseSlot()) {
                limits.release(userId);
            }
            return;
        }
        ownership.attach(session, partition, since);
        if (session.isGone()) {
            ownership.detach(session, partition); // the connection ended while it was being attached
        }
    }

    private void closing(ClientSession session, int code) {
        metrics.closed(code);
        if (code == CloseCodes.TOO_SLOW) {
            log.info("Closing {} as too slow", session);
        }
    }

    /**
     * Every session, every tick: the auth timeout, token expiry and stalled writes; every ping
     * interval also pings idle peers and drops those that stopped answering.
     */
    private void sweep() {
        try {
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            boolean pingNow = now - lastPingNanos >= properties.pingInterval().toNanos() - sweepMillis * 500_000;
            if (pingNow) {
                lastPingNanos = now;
            }
            long authLimit = properties.authTimeout().toNanos();
            long silentLimit = properties.pingInterval().toNanos() * 2 + properties.sendTimeout().toNanos();
            long writeLimit = properties.sendTimeout().toNanos();
            for (ClientSession session : sessions) {
                if (session.isClosing()) {
                    continue;
                }
                if (!session.isAuthenticated()) {
                    if (!session.isAuthenticating() && session.connectedForNanos(now) > authLimit) {
                        session.close(CloseCodes.UNAUTHORIZED, "no auth frame within " + properties.authTimeout().toMillis() + " ms");
                    }
                }
                else if (nowMillis >= session.tokenExpiresAtMillis()) {
                    session.close(CloseCodes.UNAUTHORIZED, "the user token has expired; reconnect with a fresh one, or send a refresh frame before it expires");
                }
                else if (session.writesStalled(writeLimit)) {
                    session.close(CloseCodes.TOO_SLOW, "too slow: a write did not complete in time");
                }
                else if (pingNow) {
                    if (session.silentForNanos(now) > silentLimit) {
                        session.close(CloseCodes.GOING_AWAY, "no answer to pings");
                    }
                    else {
                        session.ping();
                    }
                }
            }
        }
        catch (RuntimeException ex) {
            log.warn("The session sweep failed; it runs again in {} ms", sweepMillis, ex);
        }
    }
}
