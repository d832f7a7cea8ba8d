package dev.herald.it.receipts;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

import dev.herald.schema.EnvelopeCodec;

/**
 * The backend's end of the receipts webhook, on the JDK's HTTP server: it records every POST and
 * checks its signature the way the docs tell a backend to (HMAC-SHA256 of {@code "<t>.<body>"},
 * computed here, not with Herald's code). By default it answers 200; a test makes it fail for one
 * user's alerts, a number of times or always.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One POST as received. */
    record Request(String deliveryId, String signature, boolean signatureValid, int attempt, JsonNode alert,
            long receivedAtMillis, int answered) {

        String userId() {
            return alert.get("userId").asString();
        }
    }

    private final HttpServer server;
    private final String secret;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Per user: how many more POSTs to answer 500 (Integer.MAX_VALUE: always). */
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    WebhookReceiver(String secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/herald/receipts", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("Herald-Signature");
            JsonNode alert = EnvelopeCodec.mapper().readTree(text);
            AtomicInteger failing = failures.get(alert.path("userId").asString(""));
            int status = failing != null && failing.getAndDecrement() > 0 ? 500 : 200;
            String attempt = exchange.getRequestHeaders().getFirst("Herald-Attempt");
            requests.add(new Request(exchange.getRequestHeaders().getFirst("Herald-Delivery"), signature,
                    valid(signature, text), attempt == null ? 0 : Integer.parseInt(attempt), alert, System.currentTimeMillis(),
                    status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/herald/receipts";
    }

    void failFor(String userId, int times) {
        failures.put(userId, new AtomicInteger(times));
    }

    List<Request> requestsFor(String userId) {
        return requests.stream().filter(r -> r.userId().equals(userId)).toList();
    }

    /** Stripe-style: {@code t=<unix>,v1=<hex>}, within 5 minutes of now. */
    private boolean valid(String header, String body) {
        if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        }
        catch (Exception ex) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
