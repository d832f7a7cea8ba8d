package dev.herald.it.gateway;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.herald.schema.frames.ClientFrame;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * A WebSocket test client over java.net.http that records every frame it receives (with its
 * arrival time) and how the connection ended. It reads one frame at a time, and can stop reading
 * altogether to play a slow client.
 */
public final class WsClient implements WebSocket.Listener {

    private static final Duration POLL = Duration.ofMillis(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A frame and when it arrived ({@link System#nanoTime()}). */
    public record Received(ServerFrame frame, long atNanos) {
    }

    /** How the connection ended: the close code and reason, or 1006 and the error. */
    public record Closed(int code, String reason) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Consumer<Received> onFrame;
    private final BiConsumer<WsClient, Closed> onClose;
    private volatile WebSocket socket;
    private volatile boolean paused;
    private volatile boolean demandOwed;

    private WsClient(Consumer<Received> onFrame, BiConsumer<WsClient, Closed> onClose) {
        this.onFrame = onFrame;
        this.onClose = onClose;
    }

    public static WsClient connect(String url) {
        return connectAsync(url, frame -> { }, (client, closed) -> { }).join();
    }

    /** Connects and authenticates; {@code since} may be null. */
    public static WsClient open(String url, String token, String since) {
        WsClient client = connect(url);
        client.auth(token, since);
        return client;
    }

    public static CompletableFuture<WsClient> connectAsync(String url, Consumer<Received> onFrame,
            BiConsumer<WsClient, Closed> onClose) {
        return connectAsync(HTTP, url, onFrame, onClose);
    }

    /** Connects through {@code http}, e.g. one whose SSL context trusts a test certificate (wss://). */
    public static WsClient connect(HttpClient http, String url) {
        return connectAsync(http, url, frame -> { }, (client, closed) -> { }).join();
    }

    private static CompletableFuture<WsClient> connectAsync(HttpClient http, String url, Consumer<Received> onFrame,
            BiConsumer<WsClient, Closed> onClose) {
        WsClient client = new WsClient(onFrame, onClose);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(URI.create(url), client)
                .orTimeout(10, TimeUnit.SECONDS).thenApply(socket -> client);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    public void auth(String token, String since) {
        send(Frames.encode(new ClientFrame.Auth(token, since)));
    }

    public CompletableFuture<WebSocket> authAsync(String token, String since) {
        return socket.sendText(Frames.encode(new ClientFrame.Auth(token, since)), true);
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            Received frame = new Received(Frames.decodeServer(partial.toString()), System.nanoTime());
            partial.setLength(0);
            received.add(frame);
            onFrame.accept(frame);
        }
        more(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        more(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended(new Closed(1006, error.toString()));
    }

    private void ended(Closed how) {
        if (closed.complete(how)) {
            onClose.accept(this, how);
        }
    }

    private void more(WebSocket webSocket) {
        if (paused) {
            demandOwed = true;
        }
        else {
            webSocket.request(1);
        }
    }

    /** Stops reading from the socket: the gateway's writes back up. */
    public void pauseReading() {
        paused = true;
    }

    public void resumeReading() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<ServerFrame> frames() {
        return received.stream().map(Received::frame).toList();
    }

    public List<ServerFrame.Notification> notifications() {
        return received.stream().map(Received::frame).filter(ServerFrame.Notification.class::isInstance)
                .map(ServerFrame.Notification.class::cast).toList();
    }

    /** The messages received on {@code channel}, in order. */
    public List<ServerFrame.Message> messages(String channel) {
        return received.stream().map(Received::frame).filter(ServerFrame.Message.class::isInstance)
                .map(ServerFrame.Message.class::cast).filter(m -> m.channel().equals(channel)).toList();
    }

    public List<ServerFrame.Message> awaitMessages(String channel, int count) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> messages(channel),
                list -> list.size() >= count);
    }

    /** The first frame of {@code type} that matches, waiting for it. */
    public <T extends ServerFrame> T awaitFrame(Class<T> type, java.util.function.Predicate<T> match) {
        return type.cast(await().atMost(Duration.ofSeconds(20)).pollInterval(POLL).until(
                () -> frames().stream().filter(type::isInstance).map(type::cast).filter(match).findFirst().orElse(null),
                frame -> frame != null));
    }

    public <T extends ServerFrame> T awaitFrame(Class<T> type) {
        return type.cast(await().atMost(Duration.ofSeconds(20)).pollInterval(POLL).until(
                () -> frames().stream().filter(type::isInstance).findFirst().orElse(null), frame -> frame != null));
    }

    public List<ServerFrame.Notification> awaitNotifications(int count) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(this::notifications,
                list -> list.size() >= count);
    }

    public Closed awaitClose() {
        return closed.orTimeout(30, TimeUnit.SECONDS).join();
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public void close() {
        if (!closed.isDone() && socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            socket.abort();
        }
    }
}
