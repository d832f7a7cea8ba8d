package dev.herald.gateway.delivery;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One client session as the partition consumers see it. Every method only hands frames to the
 * connection's event loop and returns at once: the consumer thread calls them while it holds a
 * partition's lock, so nothing here may wait for a socket.
 */
public interface Subscriber {

    String userId();

    /** Queues a live frame. A subscriber whose outbound bytes exceed its bound closes itself as too slow (4008). */
    void send(OutboundFrame frame);

    /** Queues the frames that open a session: the welcome, then the missed events, in order. */
    void open(OutboundFrame welcome, List<OutboundFrame> missed);

    /** Queues a resync frame, then ends the session normally once it is written. */
    void resync(OutboundFrame frame);

    /** Closes the session (once); completes when the close frame is written or given up on. */
    CompletableFuture<Void> close(int code, String reason);
}
