package dev.herald.producer.ingest;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.support.ApiException;

/**
 * One client connection of the Netty front: HTTP/1.1 with keep-alive, one request at a time (a
 * pipelined request waits, and reading pauses, until the one before is answered, so answers keep
 * the requests' order). A body is collected up to the size limit: 413 from Content-Length before
 * any of it is read (before {@code 100 Continue}), and while reading a chunked one; the connection
 * closes after a refusal whose body was not read. Ingest routes are answered here; everything else
 * goes to the internal web server ({@link Forwarding}).
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrontHandler.class);

    private final IngestRoutes routes;
    private final IngestServer.Front front;
    private final long maxBody;
    private final boolean tls;
    private Forwarding forwarding;

    private HttpRequest request;
    private IngestRoutes.Call call;
    private ByteBuf body;
    /** The rest of the current request's body is dropped: it was answered before it was read. */
    private boolean discarding;
    /** After an early answer: how much more of the refused body is read and dropped before closing. */
    private long swallowLeft;
    private boolean closeAfterSwallow;
    /** How much of a refused body is read and dropped, as {@code server.tomcat.max-swallow-size} (16MB). */
    private static final long SWALLOW_LIMIT = 16L * 1024 * 1024;
    /** A request is being answered: what arrives meanwhile waits in {@link #queued}. */
    private boolean busy;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();

    FrontHandler(IngestRoutes routes, IngestServer.Front front, long maxBody, boolean tls) {
        this.routes = routes;
        this.front = front;
        this.maxBody = maxBody;
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy) {
            queued.add(msg);
            return;
        }
        handle(ctx, msg);
    }

    private void handle(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head) {
            begin(ctx, head);
        }
        if (msg instanceof HttpContent content) {
            collect(ctx, content);
        }
        else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest head) {
        request = head;
        discarding = false;
        call = null;
        if (head.decoderResult().isFailure()) {
            answerEarly(ctx, Responses.plain(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
            return;
        }
        IngestRoutes.Match match = IngestRoutes.match(head);
        if (match != null) {
            call = routes.start(match, head, tls);
            if (call.refusal != null) {
                answerEarly(ctx, call.refusal);
                return;
            }
        }
        if (HttpUtil.getContentLength(head, -1L) > maxBody) {
            answerEarly(ctx, call != null ? IngestRoutes.tooLarge(call, maxBody)
                    : Responses.problem(ApiException.payloadTooLarge(maxBody), path(head)));
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        long length = HttpUtil.getContentLength(head, 256L);
        body = ctx.alloc().heapBuffer((int) Math.min(Math.max(length, 16), maxBody));
    }

    private void collect(ChannelHandlerContext ctx, HttpContent content) {
        try {
            if (discarding || body == null) {
                swallowLeft -= content.content().readableBytes();
                if (content instanceof LastHttpContent || swallowLeft < 0) {
                    discarding = false;
                    if (closeAfterSwallow) {
                        ctx.close();
                    }
                }
                return;
            }
            if (body.readableBytes() + (long) content.content().readableBytes() > maxBody) {
                releaseBody();
                answerEarly(ctx, call != null ? IngestRoutes.tooLarge(call, maxBody)
                        : Responses.problem(ApiException.payloadTooLarge(maxBody), path(request)));
                return;
            }
            body.writeBytes(content.content());
            if (content instanceof LastHttpContent) {
                dispatch(ctx);
            }
        }
        finally {
            content.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx) {
        HttpRequest head = request;
        IngestRoutes.Call answering = call;
        byte[] bytes = ByteBufUtil.getBytes(body);
        releaseBody();
        request = null;
        call = null;
        busy = true;
        ctx.channel().config().setAutoRead(false);
        front.started();
        CompletableFuture<FullHttpResponse> answer;
        if (answering != null) {
            answer = routes.answer(answering, bytes);
        }
        else {
            if (forwarding == null) {
                forwarding = front.forwarding(ctx.channel());
            }
            answer = forwarding.forward(head, bytes);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(head);
        String path = path(head);
        if (answer.isDone() && !answer.isCompletedExceptionally()) {
            respond(ctx, answering, answer.getNow(null), keepAlive, path);
            return;
        }
        answer.whenCompleteAsync((response, failure) -> {
            if (failure != null) {
                log.debug("No answer from the internal web server for {}", path, failure);
                response = Responses.badGateway(path);
            }
            respond(ctx, answering, response, keepAlive, path);
        }, ctx.executor());
    }

    private void respond(ChannelHandlerContext ctx, IngestRoutes.Call answering, FullHttpResponse response,
            boolean keepAlive, String path) {
        boolean keep = keepAlive && !front.draining() && ctx.channel().isActive();
        if (answering != null) {
            routes.answered(answering, response);
        }
        finishHeaders(response, keep);
        ChannelFuture written = ctx.writeAndFlush(response);
        written.addListener(done -> front.finished());
        if (!keep) {
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        busy = false;
        ctx.channel().config().setAutoRead(true);
        while (!busy && !queued.isEmpty()) {
            handle(ctx, queued.poll());
        }
    }

    /**
     * Answers before the body was read, then closes. As Tomcat's max-swallow-size: up to
     * {@link #SWALLOW_LIMIT} of the rest of the body is read and dropped first, so that a client
     * still sending it reads the answer instead of a reset connection; past that, or without a body
     * to come, it closes once the answer is written.
     */
    private void answerEarly(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (call != null) {
            routes.answered(call, response);
        }
        releaseBody();
        finishHeaders(response, false);
        boolean bodyToCome = HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
        if (!bodyToCome || HttpUtil.getContentLength(request, 0L) > SWALLOW_LIMIT || request.decoderResult().isFailure()) {
            discarding = true;
            busy = true;
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // Not busy: the rest of this body reaches collect(), which drops it and closes at its end.
        discarding = true;
        swallowLeft = SWALLOW_LIMIT;
        closeAfterSwallow = true;
        ctx.writeAndFlush(response);
    }

    private static void finishHeaders(FullHttpResponse response, boolean keepAlive) {
        response.headers().set(Responses.DATE, Responses.date());
        HttpUtil.setKeepAlive(response, keepAlive);
    }

    private static String path(HttpRequest head) {
        String uri = head.uri();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close(); // an idle keep-alive connection, as Tomcat's keep-alive timeout
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseBody();
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        if (forwarding != null) {
            forwarding.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection failed", cause);
        ctx.close();
    }
}
