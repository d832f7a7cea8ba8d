package dev.herald.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON client over java.net.http for the tests: every call returns status, headers and body. */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static Response get(String url, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), bearer);
    }

    public static Response post(String url, String bearer, Object body, String... headers) {
        byte[] bytes = body == null ? new byte[0]
                : body instanceof byte[] raw ? raw
                : body instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request, bearer);
    }

    /** A PUT of {@code body} (JSON of an object, or a String / byte[] sent as is). */
    public static Response put(String url, String bearer, Object body) {
        byte[] bytes = body instanceof byte[] raw ? raw
                : body instanceof String text ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), bearer);
    }

    private static Response send(HttpRequest.Builder request, String bearer) {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        request.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        }
        catch (IOException ex) {
            throw new IllegalStateException("request failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    public record Response(int status, HttpResponse<String> raw) {

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }
}
