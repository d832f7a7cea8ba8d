package dev.herald.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.herald.gateway.ownership.OutboundFrame;
import dev.herald.gateway.ownership.Subscriber;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * One WebSocket connection: who it is once authenticated, and its state for the session sweep. It
 * holds no timer and no buffer of its own: frames go straight to the socket's outbound buffer,
 * which {@code session-buffer-size} bounds, and the sweep in {@link GatewayHandler} checks auth
 * timeouts, pings, token expiry and stalled writes for every session at once.
 */
final class ClientSession implements Subscriber {

    private static final OutboundFrame PING_FRAME = OutboundFrame.control("ping", Frames.encode(new ServerFrame.Ping()));
    /** A close reason may hold at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private static final AtomicIntegerFieldUpdater<ClientSession> CLOSE_STARTED =
            AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "closeStarted");
    private static final AtomicIntegerFieldUpdater<ClientSession> HOLDS_SLOT =
            AtomicIntegerFieldUpdater.newUpdater(ClientSession.class, "holdsSlot");

    interface Closing {

        void closing(ClientSession session, int code);
    }

    private final Socket socket;
    private final long bufferLimit;
    private final Closing onClosing;
    private final SessionMetrics metrics;
    private final long connectedAtNanos = System.nanoTime();
    private volatile int closeStarted;
    private volatile int holdsSlot;
    private volatile String userId;
    private volatile int partition = -1;
    private volatile boolean authenticating;
    private volatile boolean resuming;
    private volatile boolean opened;
    private volatile boolean gone;
    private volatile boolean closedByGateway;
    private volatile long lastHeardNanos = connectedAtNanos;
    private volatile long tokenExpiresAtMillis = Long.MAX_VALUE;
    private volatile List<String> grantedChannels = List.of();
    /** The session's channel subscriptions; touched on its event loop (and once it is gone). */
    private final Map<String, ChannelSubscription> subscriptions = new ConcurrentHashMap<>();

    ClientSession(Socket socket, long bufferLimit, Closing onClosing, SessionMetrics metrics) {
        this.socket = socket;
        this.bufferLimit = bufferLimit;
        this.onClosing = onClosing;
        this.metrics = metrics;
    }

    String id() {
        return socket.id();
    }

    Socket socket() {
        return socket;
    }

    /** The auth frame is being checked (reading is paused meanwhile). */
    void authenticating(boolean checking) {
        this.authenticating = checking;
    }

    boolean isAuthenticating() {
        return authenticating;
    }

    /** The user is known and holds one of its per-user session slots. */
    void authenticated(String userId, int partition, boolean resuming) {
        this.resuming = resuming;
        this.partition = partition;
        this.userId = userId;
        holdsSlot = 1;
    }

    /** The session may live until its (latest) token expires. */
    void tokenValidUntil(long expiresAtMillis) {
        this.tokenExpiresAtMillis = expiresAtMillis;
    }

    /** The channel patterns the session's (latest) token grants. */
    void grantedChannels(List<String> patterns) {
        this.grantedChannels = List.copyOf(patterns);
    }

    List<String> grantedChannels() {
        return grantedChannels;
    }

    Map<String, ChannelSubscription> subscriptions() {
        return subscriptions;
    }

    long tokenExpiresAtMillis() {
        return tokenExpiresAtMillis;
    }

    long connectedForNanos(long nowNanos) {
        return nowNanos - connectedAtNanos;
    }

    /** True once: whoever gets true gives the user's slot back. */
    boolean releaseSlot() {
        return HOLDS_SLOT.getAndSet(this, 0) == 1;
    }

    /** The connection has ended (the transport said so). */
    boolean isGone() {
        return gone;
    }

    boolean isAuthenticated() {
        return userId != null;
    }

    String userId() {
        return userId;
    }

    @Override
    public String key() {
        return userId;
    }

    int partition() {
        return partition;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentForNanos(long nowNanos) {
        return nowNanos - lastHeardNanos;
    }

    boolean isClosing() {
        return closeStarted != 0;
    }

    /**
     * A live frame. Past {@code session-buffer-size} of pending bytes the client is not keeping up:
     * it is closed with 4008 and resumes by cursor when it reconnects.
     */
    @Override
    public void send(OutboundFrame frame) {
        if (isClosing()) {
            return;
        }
        if (socket.pendingBytes() + frame.wire().length > bufferLimit) {
            close(CloseCodes.TOO_SLOW, "too slow: outbound queue full; reconnect and resume by cursor");
            return;
        }
        socket.send(frame);
    }

    @Override
    public Executor writer() {
        return socket.writer();
    }

    /** A frame that answers the client (pong, error); not bounded, as the client asked for it. */
    void reply(OutboundFrame frame) {
        if (!isClosing()) {
            socket.send(frame);
        }
    }

    /** The frames that open a session are never refused by the bound: a long replay has to fill it. */
    @Override
    public void open(Opening opening) {
        metrics.resumed(opening.gap() != null ? "resync" : resuming ? "history" : "none");
        if (isClosing()) {
            return;
        }
        Gap gap = opening.gap();
        if (gap != null) {
            String since = opening.since() == null ? null : opening.since().toString();
            socket.send(OutboundFrame.control("resync", Frames.encode(new ServerFrame.Resync(since,
                    opening.position().partition(), gap.reason(), gap.from(), gap.to()))));
        }
        socket.send(OutboundFrame.control("welcome", Frames.encode(new ServerFrame.Welcome(
                opening.position().partition(), opening.position(), opening.missed().size()))));
        opening.missed().forEach(socket::send);
        opened = true;
    }

    /**
     * A protocol ping, which every WebSocket client answers by itself (how the gateway notices a
     * dead peer), and a {@code ping} frame, which lets a browser notice a dead gateway (pages
     * cannot see protocol pings). Only for opened sessions, so that the welcome stays first.
     */
    void ping() {
        if (opened && !isClosing()) {
            socket.ping();
            socket.send(PING_FRAME);
        }
    }

    boolean writesStalled(long timeoutNanos) {
        return socket.writesStalled(timeoutNanos);
    }

    /** Closes the session (once): the close frame follows whatever is pending, so a slow but live client reads why. */
    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        if (!CLOSE_STARTED.compareAndSet(this, 0, 1)) {
            return gone ? DONE : socket.close(code, reason); // the first close's future
        }
        closedByGateway = true;
        onClosing.closing(this, code);
        return socket.close(code, truncate(reason));
    }

    /** Whether the gateway (rather than the client or the network) ended the session. */
    boolean closedByGateway() {
        return closedByGateway;
    }

    /** The connection is gone (whoever closed it). */
    void closed() {
        gone = true;
        closeStarted = 1;
    }

    private static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    @Override
    public String toString() {
        return "session " + socket.id() + (userId == null ? "" : " of " + userId);
    }
}
