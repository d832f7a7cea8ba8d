package dev.herald.it.gateway;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady stream of notifications to random users, one POST at a time at a fixed rate, that
 * remembers which events each user must get, in order.
 */
final class EventStream {

    private final List<String> users;
    private final int recipientsPerPost;
    private final Map<String, List<String>> expected = new ConcurrentHashMap<>();
    private final AtomicInteger posted = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Random random = new Random(42);
    private final ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-stream");
        thread.setDaemon(true);
        return thread;
    });

    private EventStream(List<String> users, int recipientsPerPost) {
        this.users = users;
        this.recipientsPerPost = recipientsPerPost;
        users.forEach(user -> expected.put(user, Collections.synchronizedList(new ArrayList<>())));
    }

    static EventStream start(List<String> users, int recipientsPerPost, long periodMillis) {
        EventStream stream = new EventStream(users, recipientsPerPost);
        stream.poster.scheduleAtFixedRate(stream::postOne, 0, periodMillis, TimeUnit.MILLISECONDS);
        return stream;
    }

    private void postOne() {
        List<String> shuffled = new ArrayList<>(users);
        Collections.shuffle(shuffled, random);
        List<String> recipients = shuffled.subList(0, recipientsPerPost);
        try {
            for (Notifications.Accepted accepted : Notifications.post(recipients, "stream", "")) {
                expected.get(accepted.userId()).add(accepted.eventId());
                posted.incrementAndGet();
            }
        }
        catch (Throwable ex) {
            failures.incrementAndGet();
        }
    }

    void stop() {
        poster.shutdown();
        try {
            poster.awaitTermination(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    int posted() {
        return posted.get();
    }

    int failures() {
        return failures.get();
    }

    List<String> expectedFor(String user) {
        return List.copyOf(expected.get(user));
    }
}
