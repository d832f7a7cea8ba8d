package dev.herald.gateway.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.herald.gateway.recovery.HistoryEntry;
import dev.herald.gateway.recovery.PartitionHistory;
import dev.herald.gateway.recovery.Resume;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * An owned partition: its history and the sessions of its users. One lock guards both, and the
 * consumer thread holds it while it appends an event and fans it out; a session takes its
 * snapshot of the history and registers under the same lock. So every event is either in the
 * replay or delivered live, never both and never neither.
 */
final class Partition {

    private final int id;
    private final PartitionHistory history;
    private final Map<String, List<Attachment>> sessions = new HashMap<>();
    private final List<PendingAttach> pending = new ArrayList<>();
    private boolean ready;

    /** A live session, and the offset up to which it already has everything. */
    private record Attachment(Subscriber subscriber, long deliverAfter) {
    }

    private record PendingAttach(Subscriber subscriber, Cursor since) {
    }

    Partition(int id, PartitionHistory history) {
        this.id = id;
        this.history = history;
    }

    int id() {
        return id;
    }

    synchronized void append(HistoryEntry entry) {
        history.append(entry);
        List<Attachment> attached = sessions.get(entry.userId());
        if (attached != null) {
            OutboundFrame live = OutboundFrame.live(entry.type(), entry.frame(), entry.timestampMillis());
            for (Attachment attachment : attached) {
                if (entry.offset() > attachment.deliverAfter()) {
                    attachment.subscriber().send(live);
                }
            }
        }
    }

    synchronized void skipped(long nextOffset) {
        history.advanceTo(nextOffset);
    }

    /** Serves the subscriber now, or once the history is warm. */
    synchronized void attach(Subscriber subscriber, Cursor since, long nowMillis) {
        if (ready) {
            serve(subscriber, since, nowMillis);
        }
        else {
            pending.add(new PendingAttach(subscriber, since));
        }
    }

    /** The history has caught up with the end of the partition: waiting sessions are served. */
    synchronized void ready(long nowMillis) {
        ready = true;
        for (PendingAttach waiting : pending) {
            serve(waiting.subscriber(), waiting.since(), nowMillis);
        }
        pending.clear();
    }

    synchronized boolean isReady() {
        return ready;
    }

    private void serve(Subscriber subscriber, Cursor since, long nowMillis) {
        Resume resume = history.resume(subscriber.userId(), since, nowMillis);
        if (resume instanceof Resume.Resync resync) {
            subscriber.resync(OutboundFrame.control("resync", Frames.encode(
                    new ServerFrame.Resync(since == null ? null : since.toString(), id, resync.reason(), since,
                            history.oldestResumable()))));
            return;
        }
        Resume.Replay replay = (Resume.Replay) resume;
        String welcome = Frames.encode(new ServerFrame.Welcome(id, new Cursor(id, replay.deliverAfter()),
                replay.missed().size()));
        subscriber.open(OutboundFrame.control("welcome", welcome), replay.missed().stream()
                .map(missed -> OutboundFrame.control(missed.type(), missed.frame())).toList());
        sessions.computeIfAbsent(subscriber.userId(), user -> new ArrayList<>(2))
                .add(new Attachment(subscriber, replay.deliverAfter()));
    }

    synchronized void detach(Subscriber subscriber) {
        pending.removeIf(waiting -> waiting.subscriber() == subscriber);
        List<Attachment> attached = sessions.get(subscriber.userId());
        if (attached != null) {
            attached.removeIf(attachment -> attachment.subscriber() == subscriber);
            if (attached.isEmpty()) {
                sessions.remove(subscriber.userId());
            }
        }
    }

    /** Gives up the partition: returns every session, which the caller closes. */
    synchronized List<Subscriber> release() {
        List<Subscriber> all = new ArrayList<>();
        sessions.values().forEach(attached -> attached.forEach(a -> all.add(a.subscriber())));
        pending.forEach(waiting -> all.add(waiting.subscriber()));
        sessions.clear();
        pending.clear();
        ready = false;
        return all;
    }

    synchronized void evictExpired(long nowMillis) {
        history.evictExpired(nowMillis);
    }

    synchronized int sessionCount() {
        return sessions.values().stream().mapToInt(List::size).sum() + pending.size();
    }

    synchronized int historySize() {
        return history.size();
    }
}
