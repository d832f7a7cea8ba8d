package dev.herald.it.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.KafkaProcess;
import dev.herald.it.support.TestDatabase;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.store.NotificationStoreApplication;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The store's retention limits ({@code herald.store.retention.*}) on a stack of its own (a broker
 * process, producer-api, the store on a database of its own: the limits apply to every user, so
 * they must not meet the shared stack's): at most three notifications per user, none older than
 * fifteen seconds, in batches of two rows, every half second. Whatever goes, the unread counts stay
 * exact.
 */
class RetentionIntegrationTests {

    private static final int MAX_ITEMS = 3;
    private static final Duration MAX_AGE = Duration.ofSeconds(15);

    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static KafkaProcess kafka;
    private static String producerUrl;
    private static String storeUrl;
    private static ConfigurableApplicationContext store;

    @BeforeAll
    static void startTheStack() {
        kafka = KafkaProcess.startNew();
        String bootstrap = kafka.bootstrapServers();
        TestDatabase.Settings db = TestDatabase.separate("retention");
        store = HeraldStack.start(NotificationStoreApplication.class, NotificationStoreApplication.CONFIG_NAME, Map.of(
                "spring.kafka.bootstrap-servers", bootstrap,
                "spring.datasource.url", db.url(), "spring.datasource.username", db.user(),
                "spring.datasource.password", db.password(),
                "herald.store.retention.max-items-per-user", String.valueOf(MAX_ITEMS),
                "herald.store.retention.max-age", MAX_AGE.toSeconds() + "s",
                "herald.store.retention.batch-size", "2",
                "herald.store.retention.sweep-interval", "500ms"));
        services.add(store);
        ConfigurableApplicationContext producer = HeraldStack.start(ProducerApiApplication.class,
                ProducerApiApplication.CONFIG_NAME, Map.of("spring.kafka.bootstrap-servers", bootstrap));
        services.add(producer);
        producerUrl = HeraldStack.baseUrl(producer);
        storeUrl = HeraldStack.baseUrl(store);
    }

    @AfterAll
    static void stopTheStack() {
        services.forEach(ConfigurableApplicationContext::close);
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void keepsTheNewestItemsOfEachUserThenDeletesThemByAgeWithTheCountsExact() {
        JdbcTemplate db = store.getBean(JdbcTemplate.class);
        String many = HeraldStack.newUser("many");
        String few = HeraldStack.newUser("few");
        List<String> sent = sendBatch(many, 7);
        sendBatch(few, 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> rows(db, many) == MAX_ITEMS && rows(db, few) == 2);
        JsonNode page = HeraldStack.inbox(storeUrl, many, "");
        assertThat(ids(page)).as("the newest three, newest first").containsExactly(sent.get(6), sent.get(5), sent.get(4));
        assertThat(unread(many)).isEqualTo(MAX_ITEMS);
        assertThat(storedUnread(db, many)).as("the four deleted unread ones were taken off the stored count").isEqualTo(MAX_ITEMS);
        Http.Response read = Http.post(storeUrl + "/v1/me/notifications/" + sent.get(6) + "/read", HeraldStack.userToken(many), null);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("unread").asInt()).isEqualTo(2);
        assertThat(unread(few)).isEqualTo(2);
        assertThat(deleted("max-items-per-user")).isGreaterThanOrEqualTo(4);

        await().atMost(MAX_AGE.plusSeconds(15)).until(() -> rows(db, many) == 0 && rows(db, few) == 0);
        assertThat(HeraldStack.inbox(storeUrl, many, "").get("items")).isEmpty();
        assertThat(unread(many)).isZero();
        assertThat(unread(few)).isZero();
        assertThat(storedUnread(db, many)).isZero();
        assertThat(storedUnread(db, few)).isZero();
        assertThat(deleted("max-age")).isGreaterThanOrEqualTo(5);
    }

    private List<String> sendBatch(String user, int count) {
        List<Map<String, Object>> notifications = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            notifications.add(Map.of("userId", user, "type", "test.message", "title", "Message " + i));
        }
        Http.Response response = Http.post(producerUrl + "/v1/notifications/batch", HeraldStack.API_KEY,
                Map.of("notifications", notifications));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        response.json().get("notifications").forEach(n -> ids.add(n.get("eventId").asString()));
        return ids;
    }

    private static int rows(JdbcTemplate db, String user) {
        return db.queryForObject("SELECT COUNT(*) FROM notifications WHERE user_id = ?", Integer.class, user);
    }

    private static int storedUnread(JdbcTemplate db, String user) {
        return db.queryForObject("SELECT COALESCE(MAX(unread), 0) FROM unread_counts WHERE user_id = ?", Integer.class, user);
    }

    private static int unread(String user) {
        return Http.get(storeUrl + "/v1/me/notifications/unread-count", HeraldStack.userToken(user)).json().get("unread").asInt();
    }

    private static double deleted(String rule) {
        return store.getBean(MeterRegistry.class).get("herald.store.retention.deleted").tag("rule", rule).counter().count();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("eventId").asString()));
        return ids;
    }
}
