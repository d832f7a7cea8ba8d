package dev.herald.producer.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * One front connection's way to the internal web server: a keep-alive connection to it on the same
 * event loop (opened on the first forwarded request, again after Tomcat closed it), one request at a
 * time, passed on as it came (method, URI, headers, Host included) but for the hop-by-hop headers;
 * the answer comes back whole (bodies here are small: pages, scripts, scrapes).
 */
final class Forwarding {

    /** Hop-by-hop headers (RFC 9110 7.6.1), and Expect, which the front has already answered. */
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE, AsciiString.cached("http2-settings"), HttpHeaderNames.EXPECT);

    private final Channel front;
    private final InetSocketAddress target;
    private final Class<? extends Channel> channelType;
    private final int maxResponse;
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private Channel backend;
    private CompletableFuture<FullHttpResponse> pending;
    /** The connection the pending request went out on, and a copy of it to send again, if it may be. */
    private Channel sentOn;
    private FullHttpRequest retryable;

    Forwarding(Channel front, InetSocketAddress target, Class<? extends Channel> channelType, int maxResponse) {
        this.front = front;
        this.target = target;
        this.channelType = channelType;
        this.maxResponse = maxResponse;
    }

    /** On the front's event loop: the internal web server's answer to {@code request} (never more than one at a time). */
    CompletableFuture<FullHttpResponse> forward(HttpRequest request, byte[] body) {
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
                Unpooled.wrappedBuffer(body));
        HttpHeaders headers = out.headers().set(request.headers());
        HOP_BY_HOP.forEach(headers::remove);
        if (body.length > 0 || request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                || HttpUtil.isTransferEncodingChunked(request)) {
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
        pending = answer;
        // A kept-alive connection that Tomcat closed while idle fails before any answer: a request
        // that may be repeated is then sent once more on a new one.
        boolean retry = backend != null && backend.isActive() && SAFE.contains(request.method());
        send(out, retry);
        return answer;
    }

    private void send(FullHttpRequest out, boolean retry) {
        if (backend != null && backend.isActive()) {
            write(backend, out, retry);
            return;
        }
        new Bootstrap().group(front.eventLoop()).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(4096, 16384, 16384),
                                new HttpObjectAggregator(maxResponse), new Answers());
                    }
                })
                .connect(target).addListener((ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        backend = connected.channel();
                        write(backend, out, false);
                    }
                    else {
                        out.release();
                        fail(connected.cause());
                    }
                });
    }

    private void write(Channel channel, FullHttpRequest out, boolean retry) {
        sentOn = channel;
        retryable = retry ? out.retainedDuplicate() : null;
        channel.writeAndFlush(out).addListener(written -> {
            if (!written.isSuccess()) {
                channel.close();
            }
        });
    }

    /** The connection {@code channel} ended or failed before answering. */
    private void lost(Channel channel, Throwable cause) {
        if (channel != sentOn) {
            return;
        }
        sentOn = null;
        if (backend == channel) {
            backend = null;
        }
        FullHttpRequest again = retryable;
        retryable = null;
        if (again != null && pending != null) {
            send(again, false);
            return;
        }
        fail(cause);
    }

    private void fail(Throwable cause) {
        CompletableFuture<FullHttpResponse> answer = pending;
        pending = null;
        if (answer != null) {
            answer.completeExceptionally(cause);
        }
    }

    /** With the front connection. */
    void close() {
        if (retryable != null) {
            retryable.release();
            retryable = null;
        }
        if (backend != null) {
            backend.close();
        }
    }

    private final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {

        Answers() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (ctx.channel() == sentOn) {
                sentOn = null;
                if (retryable != null) {
                    retryable.release();
                    retryable = null;
                }
            }
            if (!HttpUtil.isKeepAlive(response)) {
                ctx.close();
                if (backend == ctx.channel()) {
                    backend = null;
                }
            }
            HOP_BY_HOP.forEach(response.headers()::remove);
            CompletableFuture<FullHttpResponse> answer = pending;
            pending = null;
            if (answer == null) {
                response.release();
                return;
            }
            answer.complete(response);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (backend == ctx.channel()) {
                backend = null;
            }
            lost(ctx.channel(), new IOException("the internal web server closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
