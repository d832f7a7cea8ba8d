package dev.herald.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;

/**
 * A fixed pool of HTTP/1.1 keep-alive connections to producer-api, one request in flight on each.
 * The sender takes an idle connection, writes a request made of pre-encoded head bytes and the body,
 * and gets the connection back in the idle queue once the answer is in. A connection the server
 * closes (Tomcat ends a keep-alive connection after 100 requests by default), that fails or times
 * out is replaced by a new one in the background, so the pool keeps its size.
 *
 * <p>Invariants: a connection is either idle in {@link #idle}, carrying one request, or being
 * replaced; {@link #inFlight} counts the requests written and not yet answered.
 */
final class ProducerConnections implements AutoCloseable {

    /** The outcome of one request: its status (0 when there is no answer), the body's start, or the error. */
    interface Answer {
        void answered(int status, String body, Throwable error);
    }

    private static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Older idle connections are replaced before a phase: the server may be about to close them. */
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Network network;
    private final InetSocketAddress target;
    private final int size;
    private final BlockingQueue<Connection> idle;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private volatile boolean closed;

    ProducerConnections(Network network, URI producer, int size) {
        this.network = network;
        this.target = Loopback.target(producer);
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            replace();
        }
    }

    /** The head of a POST up to the value of Content-Length, pre-encoded once. */
    static byte[] head(URI producer, String path, String apiKey) {
        return ("POST " + path + " HTTP/1.1\r\nHost: " + producer.getHost() + ":" + Loopback.target(producer).getPort()
                + "\r\nAuthorization: Bearer " + apiKey + "\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A whole request: the pre-encoded head, the body's length, the body (UTF-8). */
    static ByteBuf request(ByteBufAllocator alloc, byte[] head, CharSequence body) {
        int length = ByteBufUtil.utf8Bytes(body);
        ByteBuf buf = alloc.directBuffer(head.length + 16 + length);
        buf.writeBytes(head);
        ByteBufUtil.writeAscii(buf, Integer.toString(length));
        buf.writeShort(0x0d0a).writeShort(0x0d0a);
        ByteBufUtil.writeUtf8(buf, body);
        return buf;
    }

    /** An idle connection if there is one now, else null. */
    Connection poll() {
        Connection c;
        while ((c = idle.poll()) != null && !usable(c)) {
            // closed while idle: replaced, try the next
        }
        return c;
    }

    /** An idle connection, waiting at most until {@code deadlineNanos} ({@link Payload#now()}); null if none came. */
    Connection take(long deadlineNanos) throws InterruptedException {
        while (true) {
            long left = deadlineNanos - Payload.now();
            Connection c = left <= 0 ? idle.poll() : idle.poll(left, TimeUnit.NANOSECONDS);
            if (c == null || usable(c)) {
                return c;
            }
        }
    }

    private boolean usable(Connection c) {
        if (c.channel.isActive()) {
            return true;
        }
        replace();
        return false;
    }

    /**
     * Replaces the connections idle for a while and waits (at most {@code timeoutNanos}) until the
     * whole pool is idle and connected: a phase starts with every connection fresh and ready.
     */
    boolean refresh(long timeoutNanos) throws InterruptedException {
        long deadline = Payload.now() + timeoutNanos;
        for (int i = idle.size(); i > 0; i--) {
            Connection c = idle.poll();
            if (c == null) {
                break;
            }
            if (!c.channel.isActive() || Payload.now() - c.idleSince > STALE_NANOS) {
                c.retire();
            }
            else {
                idle.offer(c);
            }
        }
        while (idle.size() < size && Payload.now() < deadline) {
            Thread.sleep(5);
        }
        return idle.size() == size;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Writes {@code request} (released here) on {@code c}; {@code answer} runs on the connection's event loop. */
    void send(Connection c, ByteBuf request, Answer answer) {
        inFlight.incrementAndGet();
        c.send(request, answer);
    }

    private void replace() {
        if (closed) {
            return;
        }
        Connection c = new Connection();
        ChannelFuture connecting = network.bootstrap(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20), c);
            }
        }).connect(target, Loopback.source(opened.getAndIncrement()));
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                c.channel = connecting.channel();
                c.idleSince = Payload.now();
                idle.offer(c);
            }
            else if (!closed) {
                // producer-api is not accepting: try again shortly, the pool stays one short meanwhile
                network.loops.schedule(this::replace, 200, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            c.channel.close();
        }
    }

    /** One keep-alive connection; its state is touched on its event loop, and by the sender between requests. */
    final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

        volatile Channel channel;
        volatile long idleSince;
        private Answer pending;
        private ScheduledFuture<?> timeout;

        private void send(ByteBuf request, Answer answer) {
            Channel ch = channel;
            ch.eventLoop().execute(() -> {
                pending = answer;
                timeout = ch.eventLoop().schedule(() -> done(0, null, new java.util.concurrent.TimeoutException("no answer in 10 s"), false),
                        REQUEST_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
                ch.writeAndFlush(request).addListener(written -> {
                    if (!written.isSuccess()) {
                        done(0, null, written.cause(), false);
                    }
                });
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            int status = response.status().code();
            String body = status == 202 ? null : abbreviate(response.content().toString(StandardCharsets.UTF_8));
            done(status, body, null, HttpUtil.isKeepAlive(response));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done(0, null, new java.io.IOException("producer-api closed the connection"), false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done(0, null, cause, false);
        }

        /** Ends the request in flight, if any, and gives the connection back or replaces it. Runs on the event loop. */
        private void done(int status, String body, Throwable error, boolean reusable) {
            Answer answer = pending;
            if (answer == null) {
                if (!reusable && idle.remove(this)) {
                    retire(); // an idle connection that broke
                }
                return;
            }
            pending = null;
            timeout.cancel(false);
            try {
                answer.answered(status, body, error);
            }
            finally {
                // Only after the answer is counted: whoever waits for no request in flight then sees it.
                inFlight.decrementAndGet();
                if (reusable) {
                    idleSince = Payload.now();
                    idle.offer(this);
                }
                else {
                    retire();
                }
            }
        }

        /** Closes this connection and opens its successor: the pool keeps its size. */
        void retire() {
            channel.close();
            replace();
        }

        private String abbreviate(String body) {
            return body.length() > 120 ? body.substring(0, 120) : body;
        }
    }
}
