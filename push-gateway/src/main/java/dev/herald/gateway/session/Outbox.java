package dev.herald.gateway.session;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

import dev.herald.gateway.delivery.OutboundFrame;

/**
 * The bounded outbound queue of one session. Producers (the consumer thread among them) only
 * enqueue; one sender thread at a time drains it to the socket, so frames keep their order and a
 * socket that does not drain holds up nobody but its own session. Live frames are refused past the
 * byte bound (the session is then closed as too slow); frames that open a session are not, so a
 * long replay is never refused by the bound it has to fill.
 */
final class Outbox {

    /** Writes one item to the socket, blocking at most the send timeout. */
    interface Sink {

        void write(Object item) throws Exception;

        /** The write failed after {@code tookNanos}; nothing more is written. */
        void failed(Exception ex, long tookNanos);
    }

    /** Sent at most this many items before yielding the thread to other sessions. */
    private static final int BATCH = 64;

    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private final long limit;
    private final Executor senders;
    private final Sink sink;
    private long queuedBytes;
    private boolean draining;
    private boolean closed;
    private volatile long writingSinceNanos;

    Outbox(long limit, Executor senders, Sink sink) {
        this.limit = limit;
        this.senders = senders;
        this.sink = sink;
    }

    /** False when a bounded item would overflow the queue; the caller then closes the session. */
    boolean offer(Object item, boolean bounded) {
        boolean start;
        synchronized (this) {
            if (closed) {
                return true;
            }
            long size = sizeOf(item);
            if (bounded && queuedBytes + size > limit) {
                return false;
            }
            queue.addLast(item);
            queuedBytes += size;
            start = !draining;
            draining = true;
        }
        if (start) {
            senders.execute(this::drain);
        }
        return true;
    }

    private void drain() {
        for (int sent = 0; sent < BATCH; sent++) {
            Object item;
            synchronized (this) {
                item = queue.pollFirst();
                if (item == null) {
                    draining = false;
                    return;
                }
                queuedBytes -= sizeOf(item);
            }
            long started = System.nanoTime();
            writingSinceNanos = started;
            try {
                sink.write(item);
            }
            catch (Exception ex) {
                abandon();
                sink.failed(ex, System.nanoTime() - started);
                synchronized (this) {
                    draining = false;
                }
                return;
            }
            finally {
                writingSinceNanos = 0;
            }
        }
        senders.execute(this::drain);
    }

    /**
     * Refuses further items and queues {@code last} (the close frame) to be written after the write
     * in progress, so that a client that is merely slow still reads why it was closed.
     *
     * @param discardQueued whether frames still queued are dropped (the client resumes by cursor)
     */
    void finish(Object last, boolean discardQueued) {
        boolean start;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (discardQueued) {
                queue.clear();
                queuedBytes = 0;
            }
            queue.addLast(last);
            start = !draining;
            draining = true;
        }
        if (start) {
            senders.execute(this::drain);
        }
    }

    /** Drops whatever is queued and refuses more: the connection is gone. */
    synchronized void abandon() {
        closed = true;
        queue.clear();
        queuedBytes = 0;
    }

    /** How long the write in progress has taken, 0 when none is. */
    long writingForNanos() {
        long since = writingSinceNanos;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    private static long sizeOf(Object item) {
        // Characters, not bytes: close enough for a bound that only has to catch runaway queues.
        return item instanceof OutboundFrame frame ? frame.text().length() : 16;
    }
}
