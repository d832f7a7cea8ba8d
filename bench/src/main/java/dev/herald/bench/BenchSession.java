package dev.herald.bench;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One WebSocket session of one user. Frames of one session arrive one at a time (it asks for the
 * next only after handling one), so its counters have a single writer; they are volatile so that the
 * run's thread reads them. Kept small: 19,000 of these share one process.
 *
 * <p>Per-user order is guaranteed by Herald, so the bench's sequence numbers of a user's events
 * must arrive increasing: a number at or below the last one seen is a duplicate; whether anything
 * is lost is decided after the run by comparing the unique count with what producer-api accepted.
 */
final class BenchSession implements WebSocket.Listener {

    private static final String PING = "{\"type\":\"ping\"";
    private static final String WELCOME = "{\"type\":\"welcome\"";
    private static final String PONG_FRAME = "{\"type\":\"pong\"}";

    final int user;
    private final Deliveries deliveries;
    final CompletableFuture<BenchSession> welcomed = new CompletableFuture<>();
    volatile WebSocket socket;
    private StringBuilder partial;
    private volatile int lastSeq = -1;
    private volatile int unique;
    private volatile int duplicates;
    volatile int closeCode = -1;

    BenchSession(int user, Deliveries deliveries) {
        this.user = user;
        this.deliveries = deliveries;
    }

    int unique() {
        return unique;
    }

    int duplicates() {
        return duplicates;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long arrived = Payload.now();
        if (!last || partial != null) {
            if (partial == null) {
                partial = new StringBuilder();
            }
            partial.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            data = partial;
            partial = null;
        }
        String text = data.toString();
        handle(webSocket, text, arrived);
        webSocket.request(1);
        return null;
    }

    private void handle(WebSocket webSocket, String text, long arrived) {
        if (text.startsWith(PING)) {
            webSocket.sendText(PONG_FRAME, true);
            return;
        }
        if (text.startsWith(WELCOME)) {
            welcomed.complete(this);
            return;
        }
        long sent = Payload.sentNanos(text);
        int seq = Payload.sequence(text);
        if (sent < 0 || seq < 0) {
            return; // not one of the bench's notifications (read frames, errors)
        }
        if (seq <= lastSeq) {
            duplicates++;
            deliveries.duplicate();
            return;
        }
        lastSeq = seq;
        unique++;
        deliveries.record(sent, arrived);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        welcomed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode = 0;
        welcomed.completeExceptionally(error);
    }
}
