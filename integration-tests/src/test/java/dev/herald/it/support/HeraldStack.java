package dev.herald.it.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import dev.herald.auth.UserTokens;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.store.NotificationStoreApplication;

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
    public static final String JWT_SECRET = "integration-tests-jwt-secret-0123456789abcdef";

    private static HeraldStack instance;

    private final String producerUrl;
    private final String storeUrl;
    private final UserTokens tokens = new UserTokens(JWT_SECRET, java.time.Clock.systemUTC());

    private HeraldStack(String producerUrl, String storeUrl) {
        this.producerUrl = producerUrl;
        this.storeUrl = storeUrl;
    }

    public static synchronized HeraldStack get() {
        if (instance == null) {
            ConfigurableApplicationContext store = start(NotificationStoreApplication.class,
                    NotificationStoreApplication.CONFIG_NAME, storeProperties());
            ConfigurableApplicationContext producer = start(ProducerApiApplication.class,
                    ProducerApiApplication.CONFIG_NAME, Map.of());
            instance = new HeraldStack(baseUrl(producer), baseUrl(store));
        }
        return instance;
    }

    /** Starts one Herald service in this JVM with the test defaults plus {@code properties}. */
    public static ConfigurableApplicationContext start(Class<?> application, String configName, Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("spring.config.name", configName);
        all.put("server.port", "0");
        all.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        all.put("herald.security.api-keys.it", API_KEY);
        all.put("herald.security.jwt-secret", JWT_SECRET);
        all.put("spring.main.banner-mode", "off");
        all.putAll(properties);
        // As command-line arguments, these outrank the services' own configuration files.
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(application).run(args);
    }

    public static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static Map<String, Object> storeProperties() {
        TestDatabase.Settings db = TestDatabase.settings();
        return Map.of(
                "spring.datasource.url", db.url(),
                "spring.datasource.username", db.user(),
                "spring.datasource.password", db.password());
    }

    public String producerUrl() {
        return producerUrl;
    }

    public String storeUrl() {
        return storeUrl;
    }

    public String tokenFor(String userId) {
        return tokens.mint(userId, Duration.ofMinutes(30)).token();
    }

    /** A user id no other test uses. */
    public static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
