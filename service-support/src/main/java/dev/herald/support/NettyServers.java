package dev.herald.support;

import java.util.List;

import javax.net.ssl.SSLException;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerSslBundle;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;

/**
 * What Herald's own Netty servers (producer-api's public port, the gateway's WebSocket port) share:
 * the transport, epoll where Netty's native library loads (Linux) and the JDK's NIO elsewhere, and
 * TLS from the same {@code server.ssl} bundle as the service's Tomcat side.
 */
public final class NettyServers {

    private static final boolean EPOLL = Epoll.isAvailable();

    private NettyServers() {
    }

    /** "epoll" or "NIO", for the start-up log line. */
    public static String transport() {
        return EPOLL ? "epoll" : "NIO";
    }

    public static IoHandlerFactory ioHandlerFactory() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends ServerChannel> serverChannelType() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> clientChannelType() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * A Netty TLS context with the key material of {@code server.ssl}'s bundle, or null when
     * {@code server.ssl} is not enabled; {@code scheme} ("https", "wss") names what fails to start.
     */
    public static SslContext sslContext(ServerProperties server, ObjectProvider<SslBundles> sslBundles, String scheme) {
        Ssl ssl = server.getSsl();
        if (!Ssl.isEnabled(ssl)) {
            return null;
        }
        SslBundle bundle = WebServerSslBundle.get(ssl, sslBundles.getIfAvailable());
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory());
            SslOptions options = bundle.getOptions();
            if (options.getEnabledProtocols() != null) {
                builder.protocols(options.getEnabledProtocols());
            }
            if (options.getCiphers() != null) {
                builder.ciphers(List.of(options.getCiphers()));
            }
            return builder.build();
        }
        catch (SSLException ex) {
            throw new IllegalStateException("cannot serve " + scheme + ":// with the SSL bundle of server.ssl: " + ex.getMessage(), ex);
        }
    }
}
