package dev.herald.producer.system;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * producer-api's HTTP servers: a Netty server owns {@code server.port} (and {@code server.address},
 * {@code server.ssl}) and serves the ingest routes; Spring MVC (Tomcat) listens on the loopback
 * address only, at {@code internalPort}, and gets every other request forwarded.
 *
 * @param internalPort the loopback port of the internal web server; 0 (the default) for any free
 *        one, so that two producer-apis on one machine never collide
 * @param eventLoopThreads the Netty server's I/O threads
 * @param maxForwardedResponse the largest answer of the internal web server that is passed on
 *        (actuator scrapes, the demo page's files)
 */
@Validated
@ConfigurationProperties("herald.producer.http")
public record HttpProperties(
        @DefaultValue("0") @Min(0) @Max(65535) int internalPort,
        @DefaultValue("2") @Min(1) @Max(64) int eventLoopThreads,
        @DefaultValue("16MB") DataSize maxForwardedResponse) {
}
