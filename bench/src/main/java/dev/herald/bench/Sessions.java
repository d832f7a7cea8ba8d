package dev.herald.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.herald.auth.UserTokens;
import dev.herald.schema.UserPartitioner;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Opens sessions the way a browser does: {@code GET /v1/route} on any gateway with the user's token,
 * then a WebSocket to the URL it names (whatever its port: the gateways' WebSocket server need not
 * listen on their HTTP port), the {@code auth} frame, and the {@code welcome}; in channel mode also
 * the {@code subscribe} to the channel and its {@code subscribed}, with tokens that grant
 * {@value BenchOptions#CHANNEL_GRANT}. The sessions are Netty
 * channels on the shared {@link Network}, each from one of several source addresses
 * ({@link Loopback#source}); at most {@code openConcurrency} opens are in flight. The route lookups
 * go through a plain {@link HttpClient}: they happen while opening, never during a measurement.
 */
final class Sessions implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern WS_URL = Pattern.compile("\"url\"\\s*:\\s*\"(wss?://[^\"]+)\"");
    private static final int ROUTE_ATTEMPTS = 20;

    private final BenchOptions options;
    private final HttpClient http;
    private final Network network;
    private final UserTokens tokens;
    private final String runId;
    /** What each session subscribes to, or null (every mode but channel). */
    private final String channel;
    private final List<String> grants;
    private final Map<String, String> tokenCache = new ConcurrentHashMap<>();
    final List<BenchSession> open = new ArrayList<>();
    final AtomicInteger failed = new AtomicInteger();
    final Map<String, Integer> failures = new ConcurrentHashMap<>();
    final Map<String, Integer> perGateway = new ConcurrentHashMap<>();

    Sessions(BenchOptions options, HttpClient http, Network network, String runId) {
        this.options = options;
        this.http = http;
        this.network = network;
        this.tokens = new UserTokens(options.jwtSecret(), java.time.Clock.systemUTC());
        this.runId = runId;
        boolean channelMode = options.mode() == BenchOptions.Mode.CHANNEL;
        this.channel = channelMode ? options.channel() : null;
        this.grants = channelMode ? List.of(BenchOptions.CHANNEL_GRANT) : List.of();
    }

    String userId(int user) {
        return "bench-" + runId + "-" + user;
    }

    String token(String userId) {
        return tokenCache.computeIfAbsent(userId, id -> tokens.mint(id, options.tokenTtl(), grants).token());
    }

    /** The users 0.. whose partition the given gateway owns now, {@code count} of them. */
    List<Integer> usersOwnedBy(String gatewayUrl, int count) throws InterruptedException {
        int wantedPort = Loopback.toLoopback(webSocketUrlOf(gatewayUrl)).getPort();
        Map<Integer, Boolean> owned = new HashMap<>();
        List<Integer> users = new ArrayList<>();
        for (int user = 0; users.size() < count && user < 50 * (count + 100); user++) {
            int partition = UserPartitioner.partitionOf(userId(user), options.partitions());
            Boolean mine = owned.get(partition);
            if (mine == null) {
                URI url = Loopback.toLoopback(route(userId(user), 0));
                mine = url.getPort() == wantedPort;
                owned.put(partition, mine);
            }
            if (mine) {
                users.add(user);
            }
        }
        if (users.size() < count) {
            throw new IllegalStateException(gatewayUrl + " owns no partition: is it in the group?");
        }
        return users;
    }

    /**
     * Opens a session for each of {@code users} (a user may appear several times), each recording
     * into {@code deliveries}; waits until each is ready (welcomed, and subscribed in channel mode) or
     * failed, at most {@code timeout}.
     */
    List<BenchSession> openAll(List<Integer> users, Deliveries deliveries, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore inFlight = new Semaphore(options.openConcurrency());
        List<CompletableFuture<BenchSession>> pending = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            int user = users.get(i);
            int attempt = i;
            CompletableFuture<BenchSession> one = CompletableFuture
                    .supplyAsync(() -> routeUnchecked(userId(user), attempt), Bench.OPENERS)
                    .thenCompose(url -> connect(url, user, attempt, deliveries))
                    .orTimeout(60, TimeUnit.SECONDS)
                    .whenComplete((session, error) -> {
                        inFlight.release();
                        if (error != null) {
                            failed.incrementAndGet();
                            failures.merge(reason(error), 1, Integer::sum);
                        }
                    });
            pending.add(one);
        }
        List<BenchSession> opened = new ArrayList<>();
        for (CompletableFuture<BenchSession> one : pending) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                opened.add(one.get(left, TimeUnit.NANOSECONDS));
            }
            catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
                // counted in failures by whenComplete (or timed out here: counted below)
            }
        }
        int notStarted = users.size() - pending.size();
        if (notStarted > 0) {
            failures.merge("not started within the open timeout", notStarted, Integer::sum);
            failed.addAndGet(notStarted);
        }
        synchronized (open) {
            open.addAll(opened);
        }
        tokenCache.clear(); // only needed to open; a session's token stays with the gateway
        return opened;
    }

    private CompletableFuture<BenchSession> connect(String url, int user, int n, Deliveries deliveries) {
        URI uri = Loopback.toLoopback(url);
        BenchSession session = new BenchSession(user, channel, deliveries, uri, token(userId(user)));
        ChannelFuture connected = network.bootstrap(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                // the codec and aggregator carry the upgrade only: the handshaker swaps them for the frame codec
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), session);
            }
        }).connect(Loopback.target(uri), Loopback.source(n));
        connected.addListener(done -> {
            if (!done.isSuccess()) {
                session.ready.completeExceptionally(done.cause());
            }
        });
        return session.ready.orTimeout(30, TimeUnit.SECONDS).whenComplete((ok, error) -> {
            if (error != null) {
                session.abort(); // e.g. no welcome (or subscribed) within the open timeout: leave no socket behind
            }
        }).thenApply(ok -> {
            perGateway.merge(uri.getHost() + ":" + uri.getPort(), 1, Integer::sum);
            return ok;
        });
    }

    private String routeUnchecked(String userId, int attempt) {
        try {
            return route(userId, attempt);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The WebSocket URL of the gateway whose HTTP side is {@code gatewayUrl}, as its
     * {@code /actuator/info} names it; the HTTP URL itself for a gateway that names none (one that
     * served both on one port).
     */
    String webSocketUrlOf(String gatewayUrl) throws InterruptedException {
        URI info = Loopback.toLoopback(gatewayUrl).resolve("/actuator/info");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(info).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = WS_URL.matcher(response.body());
            if (response.statusCode() == 200 && m.find()) {
                return m.group(1);
            }
        }
        catch (java.io.IOException ex) {
            // fall back to the HTTP URL
        }
        return gatewayUrl;
    }

    /** The owner's WebSocket URL from any gateway (round robin), retrying while the group rebalances. */
    String route(String userId, int attempt) throws InterruptedException {
        List<String> gateways = options.gatewayUrls();
        String last = "no answer";
        for (int i = 0; i < ROUTE_ATTEMPTS; i++) {
            URI gateway = Loopback.toLoopback(gateways.get((attempt + i) % gateways.size()) + "/v1/route");
            HttpRequest request = HttpRequest.newBuilder(gateway).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token(userId)).GET().build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    Matcher m = URL.matcher(response.body());
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                last = response.statusCode() + " " + response.body();
            }
            catch (java.io.IOException ex) {
                last = ex.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("GET /v1/route for " + userId + " failed " + ROUTE_ATTEMPTS + " times: " + last);
    }

    private static String reason(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return text.length() > 160 ? text.substring(0, 160) : text;
    }

    @Override
    public void close() {
        List<BenchSession> all;
        synchronized (open) {
            all = new ArrayList<>(open);
            open.clear();
        }
        for (BenchSession session : all) {
            session.abort();
        }
    }
}
