package dev.herald.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * One WebSocket session of one user, the last handler of its Netty channel: the upgrade, the {@code auth}
 * frame, the {@code welcome}, then the notifications; or, for a session that follows a channel, the
 * {@code subscribe} after the welcome, the {@code subscribed}, then the channel's {@code message}
 * frames. Every callback runs on the Netty channel's event loop, so its counters have a single writer;
 * they are volatile so that the run's thread reads them. Kept small (19,000 of these share one
 * process): no buffer is held between frames except the pieces of a fragmented message, and the
 * handshaker and token are dropped once used.
 *
 * <p>A session counts one stream: a channel's messages if it follows one (its user's notifications,
 * if any, are ignored), else its user's notifications. A sequence number seen before is a
 * duplicate; whether anything is lost is decided after the run by comparing the unique count with
 * what producer-api accepted. One that arrives after a higher one is counted as reordered, not as an
 * error: Herald keeps a stream in the order producer-api accepted its events, and two POSTs in
 * flight together may be accepted either way.
 */
final class BenchSession extends ChannelInboundHandlerAdapter {

    /** Closed without a close frame (RFC 6455's 1006), or by an error on our side (0). */
    static final int ABNORMAL = 1006;
    static final int ERROR = 0;

    private static final int MAX_FRAME = 1 << 20;
    private static final byte[] PING = Payload.ascii("{\"type\":\"ping\"");
    private static final byte[] WELCOME = Payload.ascii("{\"type\":\"welcome\"");
    private static final byte[] MESSAGE = Payload.ascii("{\"type\":\"message\"");
    private static final byte[] SUBSCRIBED = Payload.ascii("{\"type\":\"subscribed\"");
    private static final byte[] ERROR_FRAME = Payload.ascii("{\"type\":\"error\"");
    private static final byte[] NOT_READING_CHANNELS = Payload.ascii("\"code\":\"channels-unavailable\"");
    /** A gateway still starting refuses subscriptions (channels-unavailable): ask again this often, this many times. */
    private static final long RESUBSCRIBE_MILLIS = 500;
    private static final int SUBSCRIBE_ATTEMPTS = 40;
    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(16).writeBytes(Payload.ascii("{\"type\":\"pong\"}")).asReadOnly());

    final int user;
    /** The channel this session subscribes to after its welcome, or null: it counts its user's notifications. */
    final String channelName;
    private final Deliveries deliveries;
    /** Completes once the session receives what it counts: at the welcome, or at the subscribed if it follows a channel. */
    final CompletableFuture<BenchSession> ready = new CompletableFuture<>();
    private WebSocketClientHandshaker handshaker;
    private String token;
    private ByteBuf partial;
    volatile Channel channel;
    private BitSet seen;
    private int lastSeq = -1;
    private int subscribeAttempts;
    private volatile int unique;
    private volatile int duplicates;
    private volatile int reordered;
    volatile int closeCode = -1;

    BenchSession(int user, String channelName, Deliveries deliveries, URI url, String token) {
        this.user = user;
        this.channelName = channelName;
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
                ready.completeExceptionally(new IllegalStateException("closed " + close.statusCode() + " " + close.reasonText()));
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
        Payload.Frame frame = Payload.Frame.of(text);
        if (channelName != null && frame.startsWith(MESSAGE)) {
            count(frame, arrived); // the hot path of a channel's session: checked first
            return;
        }
        if (frame.startsWith(PING)) {
            ctx.writeAndFlush(new TextWebSocketFrame(PONG.duplicate()));
            return;
        }
        if (frame.startsWith(WELCOME)) {
            if (channelName == null) {
                ready.complete(this);
            }
            else {
                subscribe(ctx);
            }
            return;
        }
        if (channelName == null) {
            count(frame, arrived);
        }
        else if (frame.startsWith(SUBSCRIBED)) {
            ready.complete(this);
        }
        else if (frame.startsWith(ERROR_FRAME) && !ready.isDone()) {
            refused(ctx, text, frame);
        }
    }

    private void subscribe(ChannelHandlerContext ctx) {
        subscribeAttempts++;
        ByteBuf frame = ctx.alloc().buffer(48 + channelName.length());
        ByteBufUtil.writeAscii(frame, "{\"type\":\"subscribe\",\"channel\":\"");
        ByteBufUtil.writeAscii(frame, channelName); // a valid channel name is ASCII without quotes or backslashes
        ByteBufUtil.writeAscii(frame, "\",\"since\":null}");
        ctx.writeAndFlush(new TextWebSocketFrame(frame));
    }

    /** An error before the subscribed: the gateway refused the subscription, or is not reading channels yet. */
    private void refused(ChannelHandlerContext ctx, ByteBuf text, Payload.Frame frame) {
        if (frame.contains(NOT_READING_CHANNELS) && subscribeAttempts < SUBSCRIBE_ATTEMPTS) {
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive()) {
                    subscribe(ctx);
                }
            }, RESUBSCRIBE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        String why = text.toString(StandardCharsets.UTF_8);
        fail(ctx, new IllegalStateException("subscribe refused: " + (why.length() > 200 ? why.substring(0, 200) : why)));
    }

    /** A frame of the stream this session counts: a duplicate, or one more unique event and its latency. */
    private void count(Payload.Frame frame, long arrived) {
        long sent = frame.sentNanos();
        int seq = frame.sequence();
        if (sent < 0 || seq < 0) {
            return; // not one of the bench's events (read frames, errors)
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
        ready.completeExceptionally(new IllegalStateException("connection closed before the welcome"
                + (channelName == null ? "" : " or the subscribed")));
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
        ready.completeExceptionally(cause);
        ctx.close();
    }
}
