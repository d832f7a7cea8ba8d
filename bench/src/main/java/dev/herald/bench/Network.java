package dev.herald.bench;

import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The generator's network: one small group of Netty event loops (NIO) that carries every WebSocket
 * session and every connection to producer-api. Two threads at most: on a 2-core machine shared
 * with Kafka and four Herald JVMs, more threads would only queue for the same cores. A channel stays
 * on one loop for its life, so each session's and each connection's state has a single writer.
 */
final class Network implements AutoCloseable {

    static final int IO_THREADS = 2;

    final EventLoopGroup loops;

    Network() {
        this.loops = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory("bench-io", true), NioIoHandler.newFactory());
    }

    /** A client bootstrap on the shared loops: no Nagle (small frames and requests), a bounded connect. */
    Bootstrap bootstrap(ChannelInitializer<SocketChannel> initializer) {
        return new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                .handler(initializer);
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
