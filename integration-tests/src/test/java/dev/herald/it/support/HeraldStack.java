package dev.herald.it.support;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.UserTokens;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.schema.Cursor;
import dev.herald.store.NotificationStoreApplication;

import static org.awaitility.Awaitility.await;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * producer-api and notification-store, started once per test JVM against the shared
 * {@link TestKafka} broker and {@link TestDatabase}, and reused by every test class (a context costs
 * 15-20 s here). Tests keep apart by using their own user ids ({@link #newUser}).
 */
public final class HeraldStack {

    public static final String API_KEY = "it-api-key";

    /** A key that may only send notifications (scope {@code send}). */
    public static final String SEND_ONLY_API_KEY = "it-send-only-api-key";
    /**
     * The store's one inbox channel here (not the default {@code system}): tests that publish to it
     * remove its messages afterwards, since every user of every test has them in their inbox.
     */
    public static final String INBOX_CHANNEL = "it-inbox";

    /** Where producer-api publishes the port of its public (Netty) server. */
    public static final String PRODUCER_PORT = "local.herald.producer.port";

    public static final String JWT_SECRET = "integration-tests-jwt-secret-0123456789abcdef";

    private static final UserTokens TOKENS = new UserTokens(JWT_SECRET, Clock.systemUTC());

    private static HeraldStack instance;

    private final String producerUrl;
    private final ConfigurableApplicationContext store;

    private HeraldStack(String producerUrl, ConfigurableApplicationContext store) {
        this.producerUrl = producerUrl;
        this.store = store;
    }

    public static synchronized HeraldStack get() {
        if (instance == null) {
            ConfigurableApplicationContext store = start(NotificationStoreApplication.class,
                    NotificationStoreApplication.CONFIG_NAME, storeProperties());
            ConfigurableApplicationContext producer = start(ProducerApiApplication.class,
                    ProducerApiApplication.CONFIG_NAME, Map.of());
            instance = new HeraldStack(baseUrl(producer), store);
        }
        return instance;
    }

    /**
     * Starts one Herald service in this JVM with the test defaults plus {@code properties}. One at a
     * time: every start resets the JVM's one logging system, and two at once (the rebalance storm's
     * churners) can fail one of them inside Logback's reset.
     */
    public static synchronized ConfigurableApplicationContext start(Class<?> application, String configName,
            Map<String, Object> properties) {
        return new SpringApplicationBuilder(application).run(arguments(configName, properties));
    }

    /**
     * The command-line arguments of one Herald service with the test defaults plus
     * {@code properties}: for {@link #start}, or for a service in a process of its own.
     */
    public static String[] arguments(String configName, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("spring.config.name", configName);
        all.put("server.port", "0");
        all.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        all.put("herald.security.api-keys.it.hash", ApiKeys.hash(API_KEY));
        all.put("herald.security.api-keys.it.scopes", "send,tokens,read");
        all.put("herald.security.api-keys.it-sender.hash", ApiKeys.hash(SEND_ONLY_API_KEY));
        all.put("herald.security.api-keys.it-sender.scopes", "send");
        all.put("herald.security.jwt-secret", JWT_SECRET);
        all.put("spring.main.banner-mode", "off");
        // Browser tests serve their page from a random port, so no exact origin can be listed.
        all.put("herald.cors.allowed-origins", "*");
        all.putAll(properties);
        // As command-line arguments, these outrank the services' own configuration files.
        return all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    /** The service's public URL: producer-api's Netty port, the web server's port for the others. */
    public static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + port(context);
    }

    /** The public port: producer-api's Netty server ({@code local.herald.producer.port}) or the web server's. */
    public static int port(ConfigurableApplicationContext context) {
        Integer producerPort = context.getEnvironment().getProperty(PRODUCER_PORT, Integer.class);
        return producerPort != null ? producerPort : ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** How a store under test reaches the test database. */
    public static Map<String, Object> storeProperties() {
        TestDatabase.Settings db = TestDatabase.storeSettings();
        return Map.of(
                "spring.datasource.url", db.url(),
                "spring.datasource.username", db.user(),
                "spring.datasource.password", db.password(),
                "herald.store.inbox-channels", INBOX_CHANNEL,
                // Expired rows go within about a second, so tests see the sweep, not only the read-time filter.
                "herald.store.retention.sweep-interval", "1s");
    }

    public String producerUrl() {
        return producerUrl;
    }

    public String storeUrl() {
        return baseUrl(store);
    }

    /** The notification-store running in this JVM, for tests that reach into it. */
    public ConfigurableApplicationContext store() {
        return store;
    }

    public String tokenFor(String userId) {
        return userToken(userId);
    }

    /**
     * A user token for every service started with the test defaults (they share {@link #JWT_SECRET}),
     * also those of a stack of a test's own: without starting the shared one.
     */
    public static String userToken(String userId) {
        return TOKENS.mint(userId, Duration.ofMinutes(30)).token();
    }

    /** A user token that grants the channel patterns {@code channels}. */
    public String tokenFor(String userId, List<String> channels) {
        return TOKENS.mint(userId, Duration.ofMinutes(30), channels).token();
    }

    /** POSTs one notification for {@code user} and returns its eventId (asserting the 202). */
    public String send(String user, String title) {
        Http.Response response = Http.post(producerUrl + "/v1/notifications", API_KEY,
                Map.of("userId", user, "type", "chat.message", "title", title));
        if (response.status() != 202) {
            throw new AssertionError("expected 202, got " + response);
        }
        return response.json().get("notifications").get(0).get("eventId").asString();
    }

    /** The user's inbox page for {@code query} (e.g. {@code "?status=unread"}), read with their own token. */
    public JsonNode inbox(String user, String query) {
        return inbox(storeUrl(), user, query);
    }

    /** The same from the store at {@code storeUrl} (a stack of a test's own). */
    public static JsonNode inbox(String storeUrl, String user, String query) {
        Http.Response response = Http.get(storeUrl + "/v1/me/notifications" + query, userToken(user));
        if (response.status() != 200) {
            throw new AssertionError("expected 200, got " + response);
        }
        return response.json();
    }

    /** Waits until the user's inbox holds exactly {@code size} items, and returns that page. */
    public JsonNode awaitInbox(String user, int size) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> inbox(user, "?limit=200"), page -> page.get("items").size() == size);
    }

    /** Waits until the store has applied the user's stream up to {@code position}, and returns that page. */
    public JsonNode awaitApplied(String user, Cursor position) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> inbox(user, "?limit=200"),
                page -> Cursor.parse(page.get("cursor").asString()).offset() >= position.offset());
    }

    public int unread(String user) {
        return Http.get(storeUrl() + "/v1/me/notifications/unread-count", tokenFor(user)).json().get("unread").asInt();
    }

    /** A user id no other test uses. */
    public static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
