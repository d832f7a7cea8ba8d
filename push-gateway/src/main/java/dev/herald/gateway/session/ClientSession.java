package dev.herald.gateway.session;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.delivery.OutboundFrame;
import dev.herald.gateway.delivery.Subscriber;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/** One WebSocket connection: who it is once authenticated, and its outbound queue. */
final class ClientSession implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    private static final Object PING = new Object();
    private static final OutboundFrame PING_FRAME = OutboundFrame.control("ping", Frames.encode(new ServerFrame.Ping()));
    /** A close reason may hold at most 123 bytes of UTF-8. */
    private static final int MAX_REASON_BYTES = 123;

    interface Closing {

        void closing(ClientSession session, int code);
    }

    private final WebSocketSession socket;
    private final Outbox outbox;
    private final Executor closers;
    private final Closing onClosing;
    private final SessionMetrics metrics;
    private final long sendTimeoutNanos;
    private final AtomicBoolean closeStarted = new AtomicBoolean();
    private final AtomicBoolean holdsSlot = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile String userId;
    private volatile int partition = -1;
    private volatile boolean resuming;
    private volatile boolean opened;
    private volatile boolean gone;
    private volatile boolean closedByGateway;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile Instant tokenExpiresAt = Instant.MAX;
    private volatile ScheduledFuture<?> expiryCheck;

    ClientSession(WebSocketSession socket, long bufferLimit, Duration sendTimeout, Executor senders, Executor closers,
            Closing onClosing, SessionMetrics metrics) {
        this.socket = socket;
        this.sendTimeoutNanos = sendTimeout.toNanos();
        this.metrics = metrics;
        this.closers = closers;
        this.onClosing = onClosing;
        this.outbox = new Outbox(bufferLimit, senders, new Outbox.Sink() {
            @Override
            public void write(Object item) throws Exception {
                if (item instanceof OutboundFrame frame) {
                    socket.sendMessage(new TextMessage(frame.text()));
                    metrics.written(frame.type(), frame.timestampMillis());
                }
                else if (item instanceof CloseStatus status) {
                    closeSocket(status);
                }
                else if (item == PING) {
                    socket.sendMessage(new PingMessage());
                }
            }

            @Override
            public void failed(Exception ex, long tookNanos) {
                log.debug("Writing to session {} failed after {} ms: {}", socket.getId(), tookNanos / 1_000_000,
                        ex.toString());
                // A write that ran into the send timeout means a peer too slow (or dead); a quick
                // failure means the connection is already gone, which the container reports itself.
                boolean slow = tookNanos >= sendTimeoutNanos / 2;
                if (slow) {
                    startClose(CloseCodes.TOO_SLOW);
                }
                // The socket is broken or stuck: no close frame can follow, so this only releases it.
                CloseStatus status = slow ? new CloseStatus(CloseCodes.TOO_SLOW, "too slow: a write timed out")
                        : CloseStatus.SERVER_ERROR;
                closers.execute(() -> closeSocket(status));
            }
        });
    }

    String id() {
        return socket.getId();
    }

    /** The user is known and holds one of its per-user session slots. */
    void authenticated(String userId, int partition, boolean resuming) {
        this.resuming = resuming;
        this.partition = partition;
        this.userId = userId;
        holdsSlot.set(true);
    }

    /** The session may live until its (latest) token expires. */
    void tokenValidUntil(Instant expiresAt) {
        this.tokenExpiresAt = expiresAt;
    }

    Instant tokenExpiresAt() {
        return tokenExpiresAt;
    }

    /** The pending check of the token's expiry, cancelled when the session closes so it holds nothing. */
    void expiryCheck(ScheduledFuture<?> check) {
        this.expiryCheck = check;
        if (gone) {
            check.cancel(false);
        }
    }

    /** True once: whoever gets true gives the user's slot back. */
    boolean releaseSlot() {
        return holdsSlot.getAndSet(false);
    }

    /** The connection has ended (the container said so). */
    boolean isGone() {
        return gone;
    }

    boolean isAuthenticated() {
        return userId != null;
    }

    @Override
    public String userId() {
        return userId;
    }

    int partition() {
        return partition;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentForNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    long writingForNanos() {
        return outbox.writingForNanos();
    }

    boolean isClosing() {
        return closeStarted.get();
    }

    @Override
    public void send(OutboundFrame frame) {
        if (!outbox.offer(frame, true)) {
            close(CloseCodes.TOO_SLOW, "too slow: outbound queue full; reconnect and resume by cursor");
        }
    }

    @Override
    public void open(OutboundFrame welcome, List<OutboundFrame> missed) {
        metrics.resumed(resuming ? "history" : "none");
        opened = true;
        outbox.offer(welcome, false);
        missed.forEach(frame -> outbox.offer(frame, false));
    }

    @Override
    public void resync(OutboundFrame frame) {
        metrics.resumed("resync");
        outbox.offer(frame, false);
        if (startClose(CloseCodes.NORMAL)) {
            outbox.finish(new CloseStatus(CloseCodes.NORMAL, "resync"), false);
        }
    }

    /**
     * A protocol ping, which every WebSocket client answers by itself (how the gateway notices a
     * dead peer), and a {@code ping} frame, which lets a browser notice a dead gateway (pages
     * cannot see protocol pings). Only for opened sessions, so that the welcome stays first.
     */
    void ping() {
        if (opened) {
            outbox.offer(PING, false);
            outbox.offer(PING_FRAME, false);
        }
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        if (startClose(code)) {
            // Queued frames are dropped (the client resumes by cursor); the close frame follows the
            // write in progress, if any, rather than cutting it off.
            outbox.finish(new CloseStatus(code, truncate(reason)), true);
        }
        return closed;
    }

    /** True for the one caller that gets to close the session. */
    private boolean startClose(int code) {
        if (!closeStarted.compareAndSet(false, true)) {
            return false;
        }
        closedByGateway = true;
        onClosing.closing(this, code);
        return true;
    }

    /** Whether the gateway (rather than the client or the container) ended the session. */
    boolean closedByGateway() {
        return closedByGateway;
    }

    private void closeSocket(CloseStatus status) {
        try {
            if (socket.isOpen()) {
                socket.close(status);
            }
        }
        catch (Exception ex) {
            log.debug("Closing session {} failed: {}", socket.getId(), ex.toString());
        }
        finally {
            closed.complete(null);
        }
    }

    /** The connection is gone (whoever closed it). */
    void closed() {
        gone = true;
        ScheduledFuture<?> check = expiryCheck;
        if (check != null) {
            check.cancel(false);
        }
        closeStarted.set(true);
        outbox.abandon();
        closed.complete(null);
    }

    private static String truncate(String reason) {
        if (reason == null) {
            return null;
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        return new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    @Override
    public String toString() {
        return "session " + socket.getId() + (userId == null ? "" : " of " + userId);
    }
}
