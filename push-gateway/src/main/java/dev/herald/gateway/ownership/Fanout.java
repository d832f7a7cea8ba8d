package dev.herald.gateway.ownership;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands one live frame to many subscribers: one task per connection thread ({@link Subscriber#writer})
 * that sends it to all of that thread's subscribers, where a send from any other thread would queue
 * a task per subscriber (10,000 for a user's 10,000 sessions). A connection's frames keep their
 * order: every frame reaches its connection through the same thread's queue, in the order of the calls.
 */
final class Fanout {

    /** Below this many subscribers each is sent to directly, as one task each costs no more. */
    static final int GROUP_FROM = 4;

    private Fanout() {
    }

    static void send(List<Subscriber> subscribers, OutboundFrame frame) {
        if (subscribers.size() < GROUP_FROM) {
            subscribers.forEach(subscriber -> subscriber.send(frame));
            return;
        }
        Map<Executor, List<Subscriber>> byWriter = new IdentityHashMap<>();
        for (Subscriber subscriber : subscribers) {
            Executor writer = subscriber.writer();
            if (writer == null) {
                subscriber.send(frame);
            }
            else {
                byWriter.computeIfAbsent(writer, w -> new ArrayList<>()).add(subscriber);
            }
        }
        byWriter.forEach((writer, group) -> {
            try {
                writer.execute(() -> group.forEach(subscriber -> subscriber.send(frame)));
            }
            catch (RejectedExecutionException ex) {
                // The thread is shutting down with the gateway, and its connections with it.
            }
        });
    }
}
