package dev.herald.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.ownership.OutboundFrame;
import dev.herald.schema.frames.CloseCodes;

/**
 * A WebSocket connection over a Netty channel, after the handshake: the last handler of its
 * pipeline (after the frame decoder and encoder), and the {@link Socket} its session writes to.
 *
 * <p>Outbound, an {@link OutboundFrame} is written as the bytes it already holds (a whole frame),
 * so nothing is encoded per session; control frames go through Netty's encoder. Inbound, frames
 * are handed to {@link GatewayHandler}; a fragmented message is gathered here (up to the frame
 * limit) and only while it lasts, so an idle connection holds no buffer.
 */
final class NettySocket extends ChannelDuplexHandler implements Socket {

    private static final Logger log = LoggerFactory.getLogger(NettySocket.class);
    /** Close codes that only the transport uses: a protocol error, a close frame without a code, no close frame at all. */
    private static final int PROTOCOL_ERROR = 1002;
    private static final int NO_STATUS = 1005;
    private static final int ABNORMAL = 1006;
    private static final AtomicReferenceFieldUpdater<NettySocket, CompletableFuture> CLOSING =
            AtomicReferenceFieldUpdater.newUpdater(NettySocket.class, CompletableFuture.class, "closing");

    private final Channel channel;
    private final GatewayHandler gateway;
    private final SessionMetrics metrics;
    private final int maxMessage;
    private final long closeWaitMillis;
    private final ClientSession session;
    /** Set once by the first close; completes when the close frame is written or given up on. */
    private volatile CompletableFuture<Void> closing;
    private volatile long probeSentNanos;
    private volatile boolean probeDone = true;
    /** Event loop only: a fragmented message being gathered, and whether it is binary. */
    private ByteBuf fragments;
    private boolean fragmentsBinary;
    private int closeCode = ABNORMAL;
    private ScheduledFuture<?> forceClose;

    NettySocket(Channel channel, GatewayHandler gateway, int maxMessage, long closeWaitMillis) {
        this.channel = channel;
        this.gateway = gateway;
        this.metrics = gateway.metrics();
        this.maxMessage = maxMessage;
        this.closeWaitMillis = closeWaitMillis;
        this.session = gateway.onOpen(this);
    }

    @Override
    public String id() {
        return channel.id().asShortText();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void send(OutboundFrame frame) {
        // From another thread this is one task on the channel's event loop (write and flush together).
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    @Override
    public Executor writer() {
        return channel.eventLoop();
    }

    @Override
    public void ping() {
        channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Void> close(int code, String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!CLOSING.compareAndSet(this, null, done)) {
            return closing;
        }
        if (!channel.isActive()) {
            done.complete(null);
            return done;
        }
        channel.eventLoop().execute(() -> {
            // The close frame follows whatever is pending. If it is not out and answered within the
            // wait (the send timeout and a little more: a peer that does not read, or does not
            // answer), the connection is cut.
            forceClose = channel.eventLoop().schedule(() -> {
                channel.close();
            }, closeWaitMillis, TimeUnit.MILLISECONDS);
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener((ChannelFutureListener) written -> {
                done.complete(null);
                if (!written.isSuccess()) {
                    channel.close();
                }
            });
        });
        return done;
    }

    @Override
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /**
     * An empty write completes once everything written before it has been: its completion is the
     * progress marker. Sent only when writes are pending at a sweep, so it costs nothing per frame.
     */
    @Override
    public boolean writesStalled(long timeoutNanos) {
        if (!probeDone) {
            return System.nanoTime() - probeSentNanos > timeoutNanos;
        }
        if (pendingBytes() == 0) {
            return false;
        }
        probeDone = false;
        probeSentNanos = System.nanoTime();
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> probeDone = true);
        return false;
    }

    // ---- the pipeline side, on the channel's event loop ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!channel.isActive()) {
            gateway.onClosed(session, ABNORMAL); // gone during the handshake: no channelInactive will follow
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof OutboundFrame frame) {
            ctx.write(Unpooled.wrappedBuffer(frame.wire()), promise);
            metrics.written(frame.type(), frame.timestampMillis());
        }
        else {
            ctx.write(msg, promise);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof WebSocketFrame frame) {
                read(frame);
            }
        }
        finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            boolean binary = frame instanceof BinaryWebSocketFrame;
            if (fragments != null) {
                gateway.onProtocolError(session, PROTOCOL_ERROR, "a new message before the last one ended");
                return;
            }
            if (frame.isFinalFragment()) {
                message(binary, frame.content());
            }
            else {
                fragmentsBinary = binary;
                fragments = channel.alloc().buffer(frame.content().readableBytes() * 2);
                fragments.writeBytes(frame.content());
            }
        }
        else if (frame instanceof ContinuationWebSocketFrame) {
            if (fragments == null) {
                gateway.onProtocolError(session, PROTOCOL_ERROR, "a continuation frame without a message");
                return;
            }
            if (fragments.readableBytes() + frame.content().readableBytes() > maxMessage) {
                dropFragments();
                gateway.onProtocolError(session, CloseCodes.MESSAGE_TOO_BIG, "a message may have at most " + maxMessage + " bytes");
                return;
            }
            fragments.writeBytes(frame.content());
            if (frame.isFinalFragment()) {
                ByteBuf whole = fragments;
                fragments = null;
                try {
                    message(fragmentsBinary, whole);
                }
                finally {
                    whole.release();
                }
            }
        }
        else if (frame instanceof PingWebSocketFrame) {
            channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), channel.voidPromise());
            gateway.onPong(session); // a ping shows the peer is alive as well as a pong does
        }
        else if (frame instanceof PongWebSocketFrame) {
            gateway.onPong(session);
        }
        else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode() < 0 ? NO_STATUS : close.statusCode();
            if (closing == null && CLOSING.compareAndSet(this, null, CompletableFuture.completedFuture(null))) {
                // The client began the close: answer it with its code, then hang up.
                channel.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? CloseCodes.NORMAL : close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            else {
                channel.close(); // the answer to our close frame
            }
        }
    }

    private void message(boolean binary, ByteBuf content) {
        if (binary) {
            gateway.onBinary(session);
        }
        else if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
            gateway.onProtocolError(session, CloseCodes.INVALID_PAYLOAD, "a text frame must be UTF-8");
        }
        else {
            gateway.onText(session, content.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            gateway.onProtocolError(session, corrupted.closeStatus().code(), corrupted.getMessage());
        }
        else if (cause instanceof CorruptedFrameException) {
            gateway.onProtocolError(session, PROTOCOL_ERROR, cause.getMessage());
        }
        else {
            log.debug("Connection {} failed: {}", id(), cause.toString());
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        dropFragments();
        if (forceClose != null) {
            forceClose.cancel(false);
        }
        CompletableFuture<Void> done = closing;
        if (done != null) {
            done.complete(null);
        }
        gateway.onClosed(session, closeCode);
        ctx.fireChannelInactive();
    }

    private void dropFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
