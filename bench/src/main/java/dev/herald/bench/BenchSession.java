package dev.herald.bench;

import java.net.URI;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * One WebSocket session of one user, the last handler of its channel: the upgrade, the {@code auth}
 * frame, the {@code welcome}, then the notifications. Every callback runs on the channel's event
 * loop, so its counters have a single writer; they are volatile so that the run's thread reads them.
 * Kept small (19,000 of these share one process): no buffer is held between frames except the
 * pieces of a fragmented message, and the handshaker and token are dropped once used.
 *
 * <p>A sequence number seen before is a duplicate; whether anything is lost is decided after the run
 * by comparing the unique count with what producer-api accepted. One that arrives after a higher one
 * is counted as reordered, not as an error: Herald keeps a user's events in the order producer-api
 * accepted them, and two POSTs for one user that are in flight together may be accepted either way.
 */
final class BenchSession extends ChannelInboundHandlerAdapter {

    /** Closed without a close frame (RFC 6455's 1006), or by an error on our side (0). */
    static final int ABNORMAL = 1006;
    static final int ERROR = 0;

    private static final int MAX_FRAME = 1 << 20;
    private static final byte[] PING = Payload.ascii("{\"type\":\"ping\"");
    private static final byte[] WELCOME = Payload.ascii("{\"type\":\"welcome\"");
    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(16).writeBytes(Payload.ascii("{\"type\":\"pong\"}")).asReadOnly());

    final int user;
    private final Deliveries deliveries;
    final CompletableFuture<BenchSession> welcomed = new CompletableFuture<>();
    private WebSocketClientHandshaker handshaker;
    private String token;
    private ByteBuf partial;
    volatile Channel channel;
    private BitSet seen;
    private int lastSeq = -1;
    private volatile int unique;
    private volatile int duplicates;
    private volatile int reordered;
    volatile int closeCode = -1;

    BenchSession(int user, Deliveries deliveries, URI url, String token) {
        this.user = user;
        this.deliveries = deliveries;
        this.token = token;
        // No Origin header, like a server-side client: the gateways accept those.
        this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(url, WebSocketVersion.V13, null, false,
                EmptyHttpHeaders.INSTANCE, MAX_FRAME, true, false, 10_000, false, false);
    }

    int unique() {
        return unique;
    }

    int duplicates() {
        return duplicates;
    }

    int reordered() {
        return reordered;
    }

    void abort() {
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshaker.handshake(ctx.channel()).addListener((ChannelFutureListener) sent -> {
            if (!sent.isSuccess()) {
                fail(ctx, sent.cause());
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long arrived = Payload.now();
        try {
            if (handshaker != null) {
                upgraded(ctx, (FullHttpResponse) msg);
            }
            else if (msg instanceof TextWebSocketFrame text) {
                if (text.isFinalFragment()) {
                    handle(ctx, text.content(), arrived);
                }
                else {
                    partial = ctx.alloc().compositeBuffer().addComponent(true, text.content().retain());
                }
            }
            else if (msg instanceof ContinuationWebSocketFrame more && partial != null) {
                ((io.netty.buffer.CompositeByteBuf) partial).addComponent(true, more.content().retain());
                if (more.isFinalFragment()) {
                    ByteBuf whole = partial;
                    partial = null;
                    try {
                        handle(ctx, whole, arrived);
                    }
                    finally {
                        whole.release();
                    }
                }
            }
            else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
            else if (msg instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                welcomed.completeExceptionally(new IllegalStateException("closed " + close.statusCode() + " " + close.reasonText()));
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), null)).addListener(ChannelFutureListener.CLOSE);
            }
        }
        finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void upgraded(ChannelHandlerContext ctx, FullHttpResponse response) {
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        }
        catch (RuntimeException ex) { // WebSocketHandshakeException: the gateway refused the upgrade
            fail(ctx, ex);
            return;
        }
        handshaker = null;
        ByteBuf auth = ctx.alloc().buffer(32 + token.length());
        ByteBufUtil.writeAscii(auth, "{\"type\":\"auth\",\"token\":\"");
        ByteBufUtil.writeAscii(auth, token);
        ByteBufUtil.writeAscii(auth, "\"}");
        token = null;
        ctx.writeAndFlush(new TextWebSocketFrame(auth));
    }

    private void handle(ChannelHandlerContext ctx, ByteBuf text, long arrived) {
        if (Payload.startsWith(text, PING)) {
            ctx.writeAndFlush(new TextWebSocketFrame(PONG.duplicate()));
            return;
        }
        if (Payload.startsWith(text, WELCOME)) {
            welcomed.complete(this);
            return;
        }
        long sent = Payload.sentNanos(text);
        int seq = Payload.sequence(text);
        if (sent < 0 || seq < 0) {
            return; // not one of the bench's notifications (read frames, errors)
        }
        if (seen == null) {
            seen = new BitSet();
        }
        if (seen.get(seq)) {
            duplicates++;
            deliveries.duplicate();
            return;
        }
        seen.set(seq);
        if (seq < lastSeq) {
            reordered++;
        }
        else {
            lastSeq = seq;
        }
        unique++;
        deliveries.record(sent, arrived);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeCode == -1) {
            closeCode = ABNORMAL;
        }
        if (partial != null) {
            partial.release();
            partial = null;
        }
        welcomed.completeExceptionally(new IllegalStateException("connection closed before the welcome"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (closeCode == -1) {
            closeCode = ERROR;
        }
        welcomed.completeExceptionally(cause);
        ctx.close();
    }
}
