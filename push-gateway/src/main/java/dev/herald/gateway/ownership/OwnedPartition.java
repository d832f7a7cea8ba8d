package dev.herald.gateway.ownership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.Recovery;
import dev.herald.gateway.recovery.KeyedHistory;
import dev.herald.schema.Cursor;

/**
 * A partition this gateway reads and serves (of the user topic: one it owns; of the channel topic:
 * every one), through its lifecycle here: {@code WARMING} (its history is read
 * from the log up to the end offset seen at assignment; sessions wait), then {@code SERVING}. One
 * lock guards the history and the sessions, and the consumer thread holds it while it appends an
 * event and fans it out; a session takes its replay and registers under the same lock. So every
 * event is either in the replay or delivered live, never both and never neither.
 */
public final class OwnedPartition {

    public enum State {
        WARMING, SERVING
    }

    private final int id;
    private final String epoch;
    private final long warmTarget;
    private final long aheadWaitMillis;
    private final KeyedHistory history;
    private final Map<String, List<Attachment>> sessions = new HashMap<>();
    /** Sessions waiting for the warm-up, or for the log to reach their cursor (until {@code waitUntil}). */
    private final List<Waiting> waiting = new ArrayList<>();
    private State state = State.WARMING;
    private final DeliveryReceipts receipts;

    /** A live session, and the offset up to which it already has everything. */
    private record Attachment(Subscriber subscriber, long deliverAfter) {
    }

    private record Waiting(Subscriber subscriber, Cursor since, long waitUntilMillis) {
    }

    /**
     * @param epoch the topic's epoch, stamped on the cursors this partition hands out (null if unknown)
     * @param warmTarget the end offset at assignment: serving starts once the history has read it
     * @param aheadWaitMillis how long a cursor ahead of what was read waits for the log to reach it
     */
    /** How long a cursor ahead of what the gateway has read waits for the log to reach it. */
    public static final Duration AHEAD_WAIT = Duration.ofSeconds(3);

    public OwnedPartition(int id, String epoch, KeyedHistory history, long warmTarget, long aheadWaitMillis) {
        this(id, epoch, history, warmTarget, aheadWaitMillis, DeliveryReceipts.NONE);
    }

    /** @param receipts told of every notification handed to at least one session (live or replayed) */
    public OwnedPartition(int id, String epoch, KeyedHistory history, long warmTarget, long aheadWaitMillis,
            DeliveryReceipts receipts) {
        this.receipts = receipts;
        this.id = id;
        this.epoch = epoch;
        this.history = history;
        this.warmTarget = warmTarget;
        this.aheadWaitMillis = aheadWaitMillis;
    }

    int id() {
        return id;
    }

    long warmTarget() {
        return warmTarget;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized void append(HistoryEntry entry, long nowMillis) {
        history.append(entry);
        List<Attachment> attached = sessions.get(entry.key());
        if (attached != null) {
            List<Subscriber> due = new ArrayList<>(attached.size());
            for (Attachment attachment : attached) {
                if (entry.offset() > attachment.deliverAfter()) {
                    due.add(attachment.subscriber());
                }
            }
            Fanout.send(due, OutboundFrame.live(entry.type(), entry.frame(), entry.timestampMillis()));
            if (!due.isEmpty() && entry.notificationId() != null) {
                receipts.delivered(entry.key(), entry.notificationId(), due.size());
            }
        }
        if (!waiting.isEmpty() && state == State.SERVING) {
            serveWaiting(nowMillis, false);
        }
    }

    public synchronized void skipped(long nextOffset) {
        history.advanceTo(nextOffset);
    }

    /** Serves the subscriber now, or once the history is warm or the log has reached its cursor. */
    public synchronized void attach(Subscriber subscriber, Cursor since, long nowMillis) {
        if (state == State.SERVING) {
            serve(subscriber, since, nowMillis, nowMillis + aheadWaitMillis);
        }
        else {
            waiting.add(new Waiting(subscriber, since, Long.MAX_VALUE));
        }
    }

    /** The consumer's position has reached {@code position}: the partition is served once that covers the warm-up. */
    public synchronized void caughtUp(long position, long nowMillis) {
        history.advanceTo(position);
        if (state == State.WARMING && position >= warmTarget) {
            state = State.SERVING;
            serveWaiting(nowMillis, false);
        }
    }

    /** Cursors that waited their time for the log are told to resync. */
    public synchronized void tick(long nowMillis) {
        history.evictExpired(nowMillis);
        if (!waiting.isEmpty() && state == State.SERVING) {
            serveWaiting(nowMillis, true);
        }
    }

    private void serveWaiting(long nowMillis, boolean onlyExpired) {
        List<Waiting> due = new ArrayList<>();
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext();) {
            Waiting next = it.next();
            if (!onlyExpired || nowMillis >= next.waitUntilMillis()) {
                due.add(next);
                it.remove();
            }
        }
        for (Waiting next : due) {
            long waitUntil = next.waitUntilMillis() == Long.MAX_VALUE ? nowMillis + aheadWaitMillis : next.waitUntilMillis();
            serve(next.subscriber(), next.since(), nowMillis, waitUntil);
        }
    }

    private void serve(Subscriber subscriber, Cursor since, long nowMillis, long waitUntilMillis) {
        String key = subscriber.key();
        long position = history.position();
        Recovery.Decision decision = Recovery.decide(since, id, epoch, position, history.coverageStart(key),
                nowMillis >= waitUntilMillis);
        if (decision instanceof Recovery.Wait) {
            waiting.add(new Waiting(subscriber, since, waitUntilMillis));
            return;
        }
        Subscriber.Gap gap = null;
        long replayAfter;
        if (decision instanceof Recovery.Gap missing) {
            replayAfter = missing.to();
            gap = new Subscriber.Gap(missing.from(), cursor(missing.to()), missing.reason());
        }
        else {
            replayAfter = ((Recovery.Replay) decision).replayAfter();
        }
        List<HistoryEntry> replayed = history.after(key, replayAfter);
        List<OutboundFrame> missed = replayed.stream()
                .map(entry -> OutboundFrame.control(entry.type(), entry.frame())).toList();
        subscriber.open(new Subscriber.Opening(since, gap, cursor(position), missed));
        for (HistoryEntry entry : replayed) {
            if (entry.notificationId() != null) {
                receipts.delivered(key, entry.notificationId(), 1);
            }
        }
        sessions.computeIfAbsent(key, ignored -> new ArrayList<>(2)).add(new Attachment(subscriber, position));
    }

    private Cursor cursor(long offset) {
        return new Cursor(id, offset, epoch);
    }

    public synchronized void detach(Subscriber subscriber) {
        waiting.removeIf(next -> next.subscriber() == subscriber);
        List<Attachment> attached = sessions.get(subscriber.key());
        if (attached != null) {
            attached.removeIf(attachment -> attachment.subscriber() == subscriber);
            if (attached.isEmpty()) {
                sessions.remove(subscriber.key());
            }
        }
    }

    /** Gives up the partition: returns every session, which the caller moves or closes. */
    synchronized List<Subscriber> release() {
        List<Subscriber> all = new ArrayList<>();
        sessions.values().forEach(attached -> attached.forEach(a -> all.add(a.subscriber())));
        waiting.forEach(next -> all.add(next.subscriber()));
        sessions.clear();
        waiting.clear();
        return all;
    }

    public synchronized int sessionCount() {
        return sessions.values().stream().mapToInt(List::size).sum() + waiting.size();
    }

    synchronized int historySize() {
        return history.size();
    }
}
