package dev.herald.producer.system;

import java.net.InetAddress;

import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Moves Spring's web server (Tomcat) off the public port to the loopback address at
 * {@code herald.producer.http.internal-port}, without TLS: the Netty server owns {@code server.port}
 * and forwards to it. Runs after Spring Boot's own customizer, which applies {@code server.*}.
 */
@Component
class InternalWebServer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {

    private final HttpProperties http;

    InternalWebServer(HttpProperties http) {
        this.http = http;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
        factory.setPort(http.internalPort());
        factory.setAddress(InetAddress.getLoopbackAddress());
        factory.setSsl(null);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
