package dev.herald.gateway.ownership;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client session as partition ownership sees it. Every method only hands frames to the
 * connection's event loop and returns at once: they are called while a partition's lock is held,
 * so nothing here may wait for a socket.
 */
public interface Subscriber {

    String userId();

    /** Queues a live frame. A subscriber whose outbound bytes exceed its bound closes itself as too slow (4008). */
    void send(OutboundFrame frame);

    /**
     * Queues the frames that open a session, in order: the resync (when the client must fill a gap
     * from the inbox; null otherwise), the welcome, then the replayed events.
     */
    void open(OutboundFrame resync, OutboundFrame welcome, List<OutboundFrame> missed);

    /** Closes the session (once); completes when the close frame is written or given up on. */
    CompletableFuture<Void> close(int code, String reason);
}
