package dev.herald.gateway.session;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.CharsetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a new connection: one upgrade request to {@code /ws} from an allowed origin.
 * On success the handshaker swaps the HTTP codec (and the aggregator that gathered the request)
 * for the WebSocket decoder and encoder, and this handler gives its place to the connection's
 * {@link NettySocket}; nothing of the request is kept. Anything else gets an HTTP error and the
 * connection is closed.
 */
final class HandshakeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);
    static final String PATH = "/ws";
    /** A connection that has not completed its handshake by then is dropped. */
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final WebSocketServerHandshakerFactory handshakers;
    private final OriginPolicy origins;
    private final GatewayHandler gateway;
    private final int maxMessage;
    private final long closeWaitMillis;
    private ScheduledFuture<?> timeout;

    HandshakeHandler(WebSocketServerHandshakerFactory handshakers, OriginPolicy origins, GatewayHandler gateway,
            int maxMessage, long closeWaitMillis) {
        this.handshakers = handshakers;
        this.origins = origins;
        this.gateway = gateway;
        this.maxMessage = maxMessage;
        this.closeWaitMillis = closeWaitMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            ctx.close();
        }, HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request");
            return;
        }
        if (!PATH.equals(new QueryStringDecoder(request.uri()).path())) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "the WebSocket endpoint is " + PATH);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "a WebSocket handshake is a GET");
            return;
        }
        if (!origins.allows(request.headers().get(HttpHeaderNames.ORIGIN), request.headers().get(HttpHeaderNames.HOST))) {
            refuse(ctx, HttpResponseStatus.FORBIDDEN, "origin not allowed");
            return;
        }
        WebSocketServerHandshaker handshaker = handshakers.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        try {
            handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) done -> {
                if (done.isSuccess()) {
                    ctx.pipeline().replace(this, "session", new NettySocket(ctx.channel(), gateway, maxMessage, closeWaitMillis));
                }
                else {
                    ctx.close();
                }
            });
        }
        catch (RuntimeException ex) {
            log.debug("Refused a handshake: {}", ex.toString());
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "not a WebSocket handshake");
        }
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", CharsetUtil.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Handshake failed: {}", cause.toString());
        ctx.close();
    }
}
