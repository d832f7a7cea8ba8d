package dev.herald.gateway.ownership;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.herald.schema.Cursor;

/**
 * One subscriber of a partition's events: a session for its user's events, or a session's
 * subscription to a channel. Every method only hands frames to the connection's event loop and
 * returns at once: they are called while a partition's lock is held, so nothing here may wait for
 * a socket.
 */
public interface Subscriber {

    /** Whose events it receives: the user id, or the channel name. */
    String key();

    /** Queues a live frame. A subscriber whose outbound bytes exceed its bound closes itself as too slow (4008). */
    void send(OutboundFrame frame);

    /**
     * The thread its connection's writes run on, or null. A frame for many subscribers is handed to
     * each such thread once, for all of its subscribers ({@link Fanout}), instead of once per subscriber.
     */
    default Executor writer() {
        return null;
    }

    /** Queues the frames that open the subscription, as {@code opening} says, in its order. */
    void open(Opening opening);

    /** Closes the session (once); completes when the close frame is written or given up on. */
    CompletableFuture<Void> close(int code, String reason);

    /**
     * How a subscription opens: with a gap to fill from the store first (if any), then a welcome at
     * {@code position}, the replayed events, and live events after {@code position}.
     *
     * @param since the cursor the subscriber asked for, or null
     * @param gap what the store must fill, or null when the replay is complete
     * @param position the cursor up to which the replay covers everything
     * @param missed the replayed events' frames, oldest first
     */
    record Opening(Cursor since, Gap gap, Cursor position, List<OutboundFrame> missed) {

        public Opening {
            missed = List.copyOf(missed);
        }
    }

    /**
     * Events in {@code (from, to]} are to be read from the store.
     *
     * @param from null when the subscriber's cursor cannot be trusted at all
     */
    record Gap(Cursor from, Cursor to, String reason) {
    }
}
