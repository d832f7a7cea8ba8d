package dev.herald.producer.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;


import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.producer.system.HttpProperties;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.support.NettyServers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * producer-api's public HTTP server: Netty on {@code server.port} (and {@code server.address}, with
 * TLS from {@code server.ssl}'s bundle, as the gateway's WebSocket server). The ingest routes are
 * answered on its event loops without blocking them ({@link IngestRoutes}; Kafka's {@code send()}
 * runs on {@link EventPublisher}'s hand-over thread); every other request is forwarded to Spring
 * MVC on its loopback port ({@code herald.producer.http.internal-port}), so paths, answers and
 * headers stay what they were.
 *
 * <p>Starts after the internal web server and stops before it: on shutdown it stops accepting,
 * answers the requests in flight (Kafka's verdict takes at most the verdict wait), then closes the
 * connections; Kafka's producer closes only after that, with the context's beans. The bound port is
 * published as {@value #PORT_PROPERTY}.
 */
@Component
class IngestServer implements SmartLifecycle {

    /** The environment property holding the bound public port (as {@code local.server.port} holds the internal one). */
    static final String PORT_PROPERTY = "local.herald.producer.port";

    private static final Logger log = LoggerFactory.getLogger(IngestServer.class);
    private static final int IDLE_SECONDS = 60;

    private final ProducerProperties producer;
    private final HttpProperties http;
    private final ServerProperties server;
    private final ObjectProvider<SslBundles> sslBundles;
    private final IngestRoutes routes;
    private final ApplicationContext context;
    private final Front front = new Front();
    private EventLoopGroup group;
    private Channel listener;
    private volatile boolean running;

    IngestServer(ProducerProperties producer, HttpProperties http, ServerProperties server,
            ObjectProvider<SslBundles> sslBundles, IngestRoutes routes, ApplicationContext context) {
        this.producer = producer;
        this.http = http;
        this.server = server;
        this.sslBundles = sslBundles;
        this.routes = routes;
        this.context = context;
    }

    /** What the connections share: the in-flight count for a graceful stop, and the way to Tomcat. */
    final class Front {

        private final AtomicInteger inFlight = new AtomicInteger();
        private final ChannelGroup channels = new DefaultChannelGroup("herald-producer-http", GlobalEventExecutor.INSTANCE);
        private volatile boolean draining;
        private InetSocketAddress internal;
        private Class<? extends Channel> clientType;
        private int maxForwardedResponse;

        void started() {
            inFlight.incrementAndGet();
        }

        void finished() {
            inFlight.decrementAndGet();
        }

        boolean draining() {
            return draining;
        }

        Forwarding forwarding(Channel channel) {
            return new Forwarding(channel, internal, clientType, maxForwardedResponse);
        }
    }

    @Override
    public synchronized void start() {
        SslContext tls = NettyServers.sslContext(server, sslBundles, "https");
        int internalPort = ((WebServerApplicationContext) context).getWebServer().getPort();
        front.internal = new InetSocketAddress(InetAddress.getLoopbackAddress(), internalPort);
        front.maxForwardedResponse = (int) Math.min(Integer.MAX_VALUE, http.maxForwardedResponse().toBytes());
        long maxBody = producer.maxBodySize().toBytes();
        front.clientType = NettyServers.clientChannelType();
        group = new MultiThreadIoEventLoopGroup(http.eventLoopThreads(), new DefaultThreadFactory("herald-producer-http", true), NettyServers.ioHandlerFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NettyServers.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        front.channels.add(channel);
                        ChannelPipeline pipeline = channel.pipeline();
                        if (tls != null) {
                            pipeline.addLast("tls", tls.newHandler(channel.alloc()));
                        }
                        pipeline.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS));
                        pipeline.addLast("http", new HttpServerCodec(4096, 16384, 16384));
                        pipeline.addLast("front", new FrontHandler(routes, front, maxBody, tls != null));
                    }
                });
        InetSocketAddress address = server.getAddress() == null ? new InetSocketAddress(port())
                : new InetSocketAddress(server.getAddress(), port());
        try {
            listener = bootstrap.bind(address).sync().channel();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address, ex);
        }
        catch (RuntimeException ex) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen on " + address + " (" + ex + "); set server.port (PRODUCER_API_PORT) to a free port", ex);
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        ((ConfigurableApplicationContext) context).getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("herald.producer.http", Map.of(PORT_PROPERTY, port)));
        running = true;
        log.info("producer-api listening on {}:{} ({}, {}, {} event loops); other paths forwarded to 127.0.0.1:{}",
                address.getHostString(), port, tls != null ? "TLS" : "no TLS", NettyServers.transport(), http.eventLoopThreads(),
                internalPort);
    }

    private int port() {
        return server.getPort() == null ? 8080 : server.getPort();
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        front.draining = true;
        listener.close().syncUninterruptibly();
        // Every request in flight gets its answer: Kafka reports on each within the verdict wait.
        long deadline = System.nanoTime() + producer.kafkaTimeouts().verdictWait().plusSeconds(1).toNanos();
        while (front.inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (front.inFlight.get() > 0) {
            log.warn("{} request(s) still in flight at shutdown", front.inFlight.get());
        }
        front.channels.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the internal web server has started (its port is forwarded to), and stopped before it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 512;
    }
}
