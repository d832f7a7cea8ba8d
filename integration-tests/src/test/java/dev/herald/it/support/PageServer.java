package dev.herald.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A site of a browser test's own on loopback (the JDK's HTTP server): the pages a real app would
 * serve, answered uncached so that every load is the test's current page.
 */
public final class PageServer {

    private PageServer() {
    }

    /** A server on 127.0.0.1 at any free port, not started: add contexts, then {@code start()}. */
    public static HttpServer create() throws IOException {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    }

    /** The server's origin, e.g. {@code http://127.0.0.1:41234}. */
    public static String origin(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code body} (none when empty) with {@code type} and {@code Cache-Control: no-store}. */
    public static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
