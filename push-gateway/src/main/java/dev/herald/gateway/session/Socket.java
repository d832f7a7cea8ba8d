package dev.herald.gateway.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.herald.gateway.ownership.OutboundFrame;

/**
 * One client connection as the session logic sees it; {@link NettySocket} carries it. Nothing here
 * blocks: frames are handed to the connection's event loop, in the order of the calls.
 */
interface Socket {

    String id();

    boolean isOpen();

    /** The bytes handed to the connection and not yet written to the network. */
    long pendingBytes();

    /** Queues a text frame, whatever is pending. */
    void send(OutboundFrame frame);

    /** The connection's event loop: a frame sent from it is written at once, not queued as a task. */
    Executor writer();

    /** Queues a protocol ping (every WebSocket client answers it by itself). */
    void ping();

    /**
     * Sends a close frame, then closes the connection once the client answers it (or after a short
     * wait). Only the first call counts; the future completes when the close frame has been written
     * or given up on.
     */
    CompletableFuture<Void> close(int code, String reason);

    /** Stops reading the client's frames (e.g. while its auth frame is checked), until {@link #resumeReading}. */
    void pauseReading();

    void resumeReading();

    /**
     * Whether the writes pending on this connection have made no progress for {@code timeoutNanos}.
     * Checked lazily (by the session sweep): a first call with writes pending starts the clock, so the
     * answer can come up to one sweep late.
     */
    boolean writesStalled(long timeoutNanos);
}
