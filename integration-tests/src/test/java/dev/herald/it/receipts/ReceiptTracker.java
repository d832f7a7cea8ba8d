package dev.herald.it.receipts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.TestDatabase;
import dev.herald.store.NotificationStoreApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A notification-store with the receipt tracker on, started once per test JVM beside the shared
 * {@link HeraldStack} (whose store keeps the inbox, tracker off): it runs only the tracker's
 * consumer (group herald-store-receipts; the inbox and channel listeners are not started, so it
 * does not join the shared store's group), on a database of its own, with short windows and a
 * webhook to a {@link WebhookReceiver}. Tests keep apart by user id.
 */
final class ReceiptTracker {

    static final String SECRET = "it-receipts-webhook-secret-0123456789";
    static final long UNDELIVERED_AFTER_MS = 2_000;
    static final long UNSEEN_AFTER_MS = 5_000;
    static final int MAX_ATTEMPTS = 3;

    private static ReceiptTracker instance;

    private final WebhookReceiver webhook;
    private final TestDatabase.Settings db;
    private ConfigurableApplicationContext store;

    private ReceiptTracker(WebhookReceiver webhook, TestDatabase.Settings db) {
        this.webhook = webhook;
        this.db = db;
        this.store = start(settings(webhook.url(), db));
    }

    static synchronized ReceiptTracker get() {
        if (instance == null) {
            HeraldStack.get();
            try {
                instance = new ReceiptTracker(new WebhookReceiver(SECRET), TestDatabase.separate("receipts"));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return instance;
    }

    static Map<String, Object> settings(String webhookUrl, TestDatabase.Settings db) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("spring.datasource.url", db.url());
        settings.put("spring.datasource.username", db.user());
        settings.put("spring.datasource.password", db.password());
        settings.put("spring.kafka.listener.auto-startup", "false");
        settings.put("herald.store.receipts.enabled", "true");
        settings.put("herald.store.receipts.undelivered-after", UNDELIVERED_AFTER_MS + "ms");
        settings.put("herald.store.receipts.unseen-after", UNSEEN_AFTER_MS + "ms");
        // The broker holds earlier tests' notifications: only those of the last seconds are watched.
        settings.put("herald.store.receipts.catch-up-window", "20s");
        settings.put("herald.store.receipts.poll-interval", "200ms");
        settings.put("herald.store.receipts.webhook.url", webhookUrl);
        settings.put("herald.store.receipts.webhook.secret", SECRET);
        settings.put("herald.store.receipts.webhook.timeout", "2s");
        settings.put("herald.store.receipts.webhook.max-attempts", String.valueOf(MAX_ATTEMPTS));
        settings.put("herald.store.receipts.webhook.initial-backoff", "400ms");
        settings.put("herald.store.receipts.webhook.max-backoff", "1s");
        return settings;
    }

    static ConfigurableApplicationContext start(Map<String, Object> settings) {
        return HeraldStack.start(NotificationStoreApplication.class, NotificationStoreApplication.CONFIG_NAME,
                new HashMap<>(settings));
    }

    WebhookReceiver webhook() {
        return webhook;
    }

    ConfigurableApplicationContext store() {
        return store;
    }

    /** Stops the tracker's store (as a SIGTERM would), runs {@code meanwhile}, and starts it again on the same database. */
    synchronized void restart(Runnable meanwhile) {
        store.close();
        try {
            meanwhile.run();
        }
        finally {
            store = start(settings(webhook.url(), db));
        }
    }

    /** Rows of the tracker's database, as column → value maps. */
    List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        row.put(rs.getMetaData().getColumnLabel(c).toLowerCase(), rs.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
