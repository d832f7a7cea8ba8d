package dev.herald.it.gateway;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.schema.frames.ServerFrame;

/**
 * A client that behaves as the SDK should: it asks {@code /v1/route} where to connect, follows
 * 4001 to the URL in the reason, asks the route again after 1001 (or a refused connection), and
 * always resumes with the cursor of the last event it got. It does not drop duplicates, so a test
 * can count them.
 */
final class FollowingClient {

    private static final ScheduledExecutorService RETRIES = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "following-client-retry");
        thread.setDaemon(true);
        return thread;
    });

    private final String user;
    private final String token;
    private final Supplier<List<TestGateway>> gateways;
    private final List<String> eventIds = new ArrayList<>();
    private final List<Cursor> cursors = new ArrayList<>();
    private final AtomicInteger moved = new AtomicInteger();
    private final AtomicInteger goingAway = new AtomicInteger();
    private final AtomicInteger resyncs = new AtomicInteger();
    private final AtomicInteger welcomes = new AtomicInteger();
    private volatile Cursor lastCursor;
    private volatile boolean stopped;
    private volatile WsClient current;
    /** The connection whose close was handled: once, whether seen by its callback or by {@link #connect}. */
    private WsClient closeHandled;
    private volatile String currentUrl;
    private volatile long lastClosedNanos;
    private volatile long lastWelcomeNanos;
    /** What this client last did and saw (route answers, connects, closes), for a report of a loss. */
    private final Deque<String> trail = new ArrayDeque<>();

    FollowingClient(String user) {
        this(user, Gateways::running);
    }

    /** A client whose route comes from {@code gateways} (a group of a test's own, not {@link Gateways}). */
    FollowingClient(String user, Supplier<List<TestGateway>> gateways) {
        this.user = user;
        this.token = HeraldStack.userToken(user);
        this.gateways = gateways;
    }

    void start() {
        lookUpAndConnect(0);
    }

    /**
     * Starts {@code count} clients of new users ({@code prefix}-…) routed by {@code gateways}, adds
     * them to {@code into} (so that a test's clean-up stops them even if this fails) and waits until
     * each was welcomed.
     */
    static void startAll(String prefix, int count, Supplier<List<TestGateway>> gateways, List<FollowingClient> into) {
        for (int i = 0; i < count; i++) {
            FollowingClient client = new FollowingClient(HeraldStack.newUser(prefix), gateways);
            into.add(client);
            client.start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> into.stream().allMatch(c -> c.welcomes() > 0));
    }

    private void lookUpAndConnect(long delayMillis) {
        RETRIES.schedule(() -> {
            if (stopped) {
                return;
            }
            String url = route();
            note("route " + url);
            if (url == null) {
                lookUpAndConnect(100);
            }
            else {
                connect(url);
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Asks the running gateways in turn; null while the group rebalances or none answers. */
    private String route() {
        for (TestGateway gateway : gateways.get()) {
            try {
                Http.Response response = Http.get(gateway.baseUrl() + "/v1/route", token);
                if (response.status() == 200) {
                    return response.json().get("url").asString();
                }
                if (response.status() == 503) {
                    return null;
                }
            }
            catch (RuntimeException ex) {
                // this gateway is going away: ask the next
            }
        }
        return null;
    }

    private void connect(String url) {
        WsClient.connectAsync(url, this::onFrame, this::onClosed).whenComplete((client, error) -> {
            if (error != null) {
                note("connect " + url + " failed: " + error);
                lookUpAndConnect(100);
                return;
            }
            note("connected " + url);
            synchronized (this) {
                current = client;
                currentUrl = url;
            }
            if (stopped) {
                client.close();
                return;
            }
            if (client.isClosed()) {
                // Closed before it was current (a gateway going away answers at once): handled here.
                onClosed(client, client.awaitClose());
                return;
            }
            Cursor since = lastCursor;
            client.authAsync(token, since == null ? null : since.toString())
                    .whenComplete((sent, failed) -> note(failed == null ? "auth sent" : "auth failed: " + failed));
        });
    }

    private void onFrame(WsClient.Received received) {
        ServerFrame frame = received.frame();
        if (frame instanceof ServerFrame.Welcome welcome) {
            // Only the first welcome may set the cursor: a resumed session's replay follows its welcome.
            if (lastCursor == null) {
                lastCursor = welcome.cursor();
            }
            lastWelcomeNanos = received.atNanos();
            welcomes.incrementAndGet();
            note("welcome " + welcome.cursor());
        }
        else if (frame instanceof ServerFrame.Notification notification) {
            synchronized (eventIds) {
                eventIds.add(notification.event().eventId());
                cursors.add(notification.cursor());
            }
            lastCursor = notification.cursor();
        }
        else if (frame instanceof ServerFrame.Read read) {
            lastCursor = read.cursor();
        }
        else if (frame instanceof ServerFrame.Resync) {
            resyncs.incrementAndGet();
        }
    }

    private void onClosed(WsClient client, WsClient.Closed closed) {
        synchronized (this) {
            if (stopped || client != current || client == closeHandled) {
                note("close " + closed.code() + " " + closed.reason() + " ignored (" + (client != current ? "not current" : "handled") + ")");
                return;
            }
            closeHandled = client;
        }
        lastClosedNanos = System.nanoTime();
        note("closed " + closed.code() + " " + closed.reason());
        if (resyncs.get() > 0) {
            return; // a real SDK would refill from the inbox; the test counts it as a failure
        }
        if (closed.code() == CloseCodes.MOVED && closed.reason() != null && closed.reason().startsWith("ws")) {
            moved.incrementAndGet();
            RETRIES.execute(() -> connect(closed.reason()));
        }
        else {
            if (closed.code() == CloseCodes.GOING_AWAY) {
                goingAway.incrementAndGet();
            }
            lookUpAndConnect(50);
        }
    }

    void stop() {
        stopped = true;
        WsClient client = current;
        if (client != null) {
            client.close();
        }
    }

    String user() {
        return user;
    }

    private void note(String what) {
        synchronized (trail) {
            trail.addLast(LocalTime.now() + " " + what);
            if (trail.size() > 12) {
                trail.removeFirst();
            }
        }
    }

    /** The last things this client did and saw, oldest first. */
    List<String> trail() {
        synchronized (trail) {
            return List.copyOf(trail);
        }
    }

    List<String> eventIds() {
        synchronized (eventIds) {
            return List.copyOf(eventIds);
        }
    }

    /** The cursor of each notification frame, in the order of {@link #eventIds()}. */
    List<Cursor> cursors() {
        synchronized (eventIds) {
            return List.copyOf(cursors);
        }
    }

    int welcomes() {
        return welcomes.get();
    }

    int moved() {
        return moved.get();
    }

    int goingAway() {
        return goingAway.get();
    }

    int resyncs() {
        return resyncs.get();
    }

    String currentUrl() {
        return currentUrl;
    }

    long lastClosedNanos() {
        return lastClosedNanos;
    }

    long lastWelcomeNanos() {
        return lastWelcomeNanos;
    }
}
