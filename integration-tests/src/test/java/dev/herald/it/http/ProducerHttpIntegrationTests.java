package dev.herald.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.KafkaProcess;
import dev.herald.producer.ProducerApiApplication;

import static org.awaitility.Awaitility.await;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * producer-api's public port is a Netty server: HTTP/1.1 as curl, PHP and the bench speak it
 * ({@code Expect: 100-continue}, keep-alive), the body limit before and while reading, every other
 * path answered by the internal web server exactly as it answers itself, and a request in flight at
 * shutdown still answered. Raw sockets, so that what is on the wire is what is checked.
 */
class ProducerHttpIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void answers100ContinueThenTheRequest() throws IOException {
        try (Connection connection = Connection.open(stack.producerUrl())) {
            byte[] body = notification(HeraldStack.newUser("continue"));
            connection.write("POST /v1/notifications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + HeraldStack.API_KEY
                    + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n");
            Wire interim = connection.read();
            assertThat(interim.status).isEqualTo(100);

            connection.write(body);
            Wire answer = connection.read();
            assertThat(answer.status).as(answer.toString()).isEqualTo(202);
            assertThat(answer.json().get("notifications").get(0).get("eventId").asString()).isNotBlank();
        }
    }

    @Test
    void servesSeveralRequestsOnOneKeptAliveConnection() throws IOException {
        try (Connection connection = Connection.open(stack.producerUrl())) {
            for (int i = 0; i < 3; i++) {
                Wire answer = connection.post("/v1/notifications", notification(HeraldStack.newUser("keep-alive")));
                assertThat(answer.status).as(answer.toString()).isEqualTo(202);
                assertThat(answer.header("connection")).isNull();
            }
            Wire health = connection.request("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(health.status).isEqualTo(200);
        }
    }

    @Test
    void refusesABodyOverTheLimitFromItsContentLengthBeforeReadingIt() throws IOException {
        try (Connection connection = Connection.open(stack.producerUrl())) {
            connection.write("POST /v1/notifications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + HeraldStack.API_KEY
                    + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 300000\r\n\r\n");
            Wire answer = connection.read();
            assertThat(answer.status).as("no 100 Continue for a body that is refused").isEqualTo(413);
            assertThat(answer.header("content-type")).isEqualTo("application/problem+json");
            assertThat(answer.json().get("detail").asString()).isEqualTo("the body must be at most 262144 bytes");
        }
    }

    @Test
    void refusesAChunkedBodyOnceItPassesTheLimit() throws IOException {
        try (Connection connection = Connection.open(stack.producerUrl())) {
            connection.write("POST /v1/notifications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + HeraldStack.API_KEY
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(64 * 1024);
            for (int i = 0; i < 5; i++) {
                connection.write(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            connection.write("0\r\n\r\n");
            Wire answer = connection.read();
            assertThat(answer.status).isEqualTo(413);
            assertThat(answer.json().get("title").asString()).isEqualTo("Request body too large");
        }
    }

    @Test
    void forwardedPathsAreAnsweredAsTheInternalWebServerAnswersThem() throws IOException {
        ConfigurableApplicationContext producer = HeraldStack.start(ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME,
                Map.of("herald.dev.enabled", "true"));
        try {
            String internal = "http://127.0.0.1:" + producer.getEnvironment().getProperty("local.server.port");
            String external = HeraldStack.baseUrl(producer);
            assertThat(internal).isNotEqualTo(external);
            for (String request : new String[] {
                    "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n",
                    "GET /demo/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
                    "GET /no/such/path HTTP/1.1\r\nHost: localhost\r\n\r\n",
                    "GET /v1/notifications HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + HeraldStack.API_KEY + "\r\n\r\n",
                    "POST /v1/tokens HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + HeraldStack.API_KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]",
                    "OPTIONS /v1/notifications HTTP/1.1\r\nHost: localhost\r\nOrigin: http://page.example\r\n"
                            + "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization\r\n\r\n" }) {
                Wire direct;
                Wire forwarded;
                try (Connection connection = Connection.open(internal)) {
                    direct = connection.request(request);
                }
                try (Connection connection = Connection.open(external)) {
                    forwarded = connection.request(request);
                }
                String line = request.substring(0, request.indexOf('\r'));
                assertThat(forwarded.status).as(line).isEqualTo(direct.status);
                assertThat(forwarded.withoutHopByHop()).as(line).isEqualTo(direct.withoutHopByHop());
                assertThat(new String(forwarded.body, StandardCharsets.UTF_8)).as(line).isEqualTo(new String(direct.body, StandardCharsets.UTF_8));
            }
        }
        finally {
            producer.close();
        }
    }

    @Test
    void aRequestInFlightAtShutdownIsAnswered() throws Exception {
        try (KafkaProcess kafka = KafkaProcess.startNewBehindGate()) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
            properties.put("herald.producer.send-timeout", "2s");
            ConfigurableApplicationContext producer = HeraldStack.start(ProducerApiApplication.class,
                    ProducerApiApplication.CONFIG_NAME, properties);
            String url = HeraldStack.baseUrl(producer);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> Http.post(url + "/v1/notifications",
                    HeraldStack.API_KEY, Map.of("userId", "warm-up", "type", "t.t", "title", "t")).status() == 202);

            kafka.disconnect(); // the next request waits for Kafka's verdict, up to the send-timeout
            CompletableFuture<Wire> inFlight = CompletableFuture.supplyAsync(() -> {
                try (Connection connection = Connection.open(url)) {
                    return connection.post("/v1/notifications", notification(HeraldStack.newUser("shutdown")));
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> producer.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .find("herald.producer.kafka.send").timers().stream().mapToLong(t -> t.count()).sum() >= 1
                    && !inFlight.isDone());
            producer.close();

            Wire answer = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(answer.status).as("answered, not cut off: " + answer).isIn(202, 503);
        }
    }

    private static byte[] notification(String user) {
        return ("{\"userId\":\"" + user + "\",\"type\":\"chat.message\",\"title\":\"hello\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** One HTTP/1.1 answer as it came: status, headers (lower-case names), body. */
    record Wire(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() {
            return Http.JSON.readTree(body);
        }

        /** The end-to-end headers; Date changes, and framing (Connection, Transfer-Encoding, Content-Length) is per hop. */
        Map<String, String> withoutHopByHop() {
            Map<String, String> copy = new LinkedHashMap<>(headers);
            for (String hop : new String[] { "date", "connection", "keep-alive", "transfer-encoding", "content-length" }) {
                copy.remove(hop);
            }
            return copy;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A raw keep-alive connection that reads answers framed by Content-Length or chunked. */
    static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            socket.setSoTimeout(15_000);
        }

        static Connection open(String baseUrl) throws IOException {
            int port = Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
            return new Connection(new Socket("127.0.0.1", port));
        }

        Wire post(String path, byte[] body) throws IOException {
            write("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + HeraldStack.API_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n");
            write(body);
            return read();
        }

        Wire request(String raw) throws IOException {
            write(raw);
            return read();
        }

        void write(String text) throws IOException {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        Wire read() throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            if (status == 100 || status == 204 || status == 304) {
                return new Wire(status, headers, new byte[0]);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                line();
            }
            else if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            }
            return new Wire(status, headers, body.toByteArray());
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed after: " + line.toString(StandardCharsets.UTF_8));
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
