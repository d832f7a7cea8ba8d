package dev.herald.gateway.session;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;


import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.ownership.OutboundFrame;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.frames.CloseCodes;
import dev.herald.support.HeraldWebProperties;
import dev.herald.support.NettyServers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The WebSocket server: {@code /ws} on {@code herald.gateway.websocket-port}, on the address of
 * {@code server.address} (all interfaces if unset), with TLS from the same SSL bundle as the HTTP
 * side when {@code server.ssl} is enabled. REST and actuator stay on Tomcat at {@code server.port}.
 *
 * <p>A connection's pipeline holds the HTTP codec and aggregator only for the handshake; after it,
 * the WebSocket decoder and encoder and one {@link NettySocket} (plus the TLS handler). Read
 * buffers are released after each read, so an idle connection holds no buffer.
 *
 * <p>Starts with the web server, before the partition consumer (whose client id carries the URL
 * derived from the bound port), and stops after it: the consumer closes the sessions it serves
 * with 1001, then this stops accepting and closes whatever sessions are left the same way, and
 * any that still opens (a handshake under way) as soon as it does, while the event loops still run;
 * their shutdown then closes every connection that never became a session.
 */
@Component
class WebSocketServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebSocketServer.class);
    /** How long a closing session waits for the client's close frame once its own is written. */
    private static final long CLOSE_ANSWER_MILLIS = 2_000;
    private static final long STOP_WAIT_MILLIS = 3_000;

    /** Sizes an {@link OutboundFrame} by its bytes, so the outbound bound counts frames not yet on the event loop. */
    private static final MessageSizeEstimator SIZES = new MessageSizeEstimator() {
        private final Handle fallback = DefaultMessageSizeEstimator.DEFAULT.newHandle();
        private final Handle handle = msg -> msg instanceof OutboundFrame frame ? frame.wire().length : fallback.size(msg);

        @Override
        public Handle newHandle() {
            return handle;
        }
    };

    private final GatewayProperties properties;
    private final HeraldWebProperties web;
    private final ServerProperties server;
    private final ObjectProvider<SslBundles> sslBundles;
    private final GatewayHandler gateway;
    private final LocalGateway local;
    private EventLoopGroup group;
    private Channel listener;
    private volatile boolean running;

    WebSocketServer(GatewayProperties properties, HeraldWebProperties web, ServerProperties server,
            ObjectProvider<SslBundles> sslBundles, GatewayHandler gateway, LocalGateway local) {
        this.properties = properties;
        this.web = web;
        this.server = server;
        this.sslBundles = sslBundles;
        this.gateway = gateway;
        this.local = local;
    }

    @Override
    public synchronized void start() {
        SslContext tls = NettyServers.sslContext(server, sslBundles, "wss");
        OriginPolicy origins = new OriginPolicy(web.allowedOrigins(), tls != null);
        int maxFrame = (int) properties.maxFrameSize().toBytes();
        long closeWaitMillis = properties.sendTimeout().toMillis() + CLOSE_ANSWER_MILLIS;
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(maxFrame)
                .allowExtensions(false).closeOnProtocolViolation(false).withUTF8Validator(false).build();
        WebSocketServerHandshakerFactory handshakers = new WebSocketServerHandshakerFactory(HandshakeHandler.PATH, null, decoder);
        group = new MultiThreadIoEventLoopGroup(properties.eventLoopThreads(), new DefaultThreadFactory("herald-gateway-io", true), NettyServers.ioHandlerFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NettyServers.serverChannelType())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, SIZES)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (tls != null) {
                            pipeline.addLast("tls", tls.newHandler(channel.alloc()));
                        }
                        pipeline.addLast("http", new HttpServerCodec(4096, 8192, 8192));
                        pipeline.addLast("aggregator", new HttpObjectAggregator(8192));
                        pipeline.addLast("handshake", new HandshakeHandler(handshakers, origins, gateway, maxFrame, closeWaitMillis));
                    }
                });
        InetSocketAddress address = server.getAddress() == null ? new InetSocketAddress(properties.websocketPort())
                : new InetSocketAddress(server.getAddress(), properties.websocketPort());
        try {
            listener = bootstrap.bind(address).sync().channel();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address, ex);
        }
        catch (RuntimeException ex) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen on " + address + " for WebSocket connections ("
                    + ex + "); set herald.gateway.websocket-port to a free port", ex);
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        local.webSocketBound(port, tls != null);
        running = true;
        log.info("WebSocket server listening on {}:{}{} ({}, {}, {} event loops); public URL {}", address.getHostString(), port,
                HandshakeHandler.PATH, tls != null ? "TLS" : "no TLS", NettyServers.transport(), properties.eventLoopThreads(),
                local.publicUrl());
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        // No new connections first, and closeAll closes the sessions that open after it too: a session
        // left open here would answer nothing, and its client would wait on it instead of asking the
        // route again.
        listener.close().syncUninterruptibly();
        try {
            gateway.closeAll(CloseCodes.GOING_AWAY, "gateway shutting down").get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            log.warn("Not every WebSocket session was closed in time: {}", ex.toString());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** With the web server: before the partition consumer starts, after it stops. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
