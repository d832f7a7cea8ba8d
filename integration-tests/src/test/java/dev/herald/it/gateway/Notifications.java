package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.Cursor;

/** Posts notifications through producer-api, as a backend would, and returns what it accepted. */
public final class Notifications {

    /** One accepted event: its recipient, id and cursor. */
    public record Accepted(String userId, String eventId, Cursor cursor) {
    }

    private Notifications() {
    }

    public static Accepted post(String user, String title) {
        return post(List.of(user), title, "").get(0);
    }

    /** One notification for several recipients; one event each, in the order of {@code users}. */
    public static List<Accepted> post(List<String> users, String title, String body) {
        Http.Response response = Http.post(HeraldStack.get().producerUrl() + "/v1/notifications", HeraldStack.API_KEY,
                Map.of("recipients", users, "type", "test.message", "title", title, "body", body));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return accepted(response.json());
    }

    /** {@code count} notifications for one user in one batch request, oldest first. */
    public static List<Accepted> postMany(String user, int count, String body) {
        List<Map<String, Object>> notifications = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            notifications.add(Map.of("userId", user, "type", "test.message", "title", "Message " + i, "body", body));
        }
        Http.Response response = Http.post(HeraldStack.get().producerUrl() + "/v1/notifications/batch",
                HeraldStack.API_KEY, Map.of("notifications", notifications));
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return accepted(response.json());
    }

    private static List<Accepted> accepted(JsonNode body) {
        List<Accepted> accepted = new ArrayList<>();
        body.get("notifications").forEach(n -> accepted.add(new Accepted(n.get("userId").asString(),
                n.get("eventId").asString(), Cursor.parse(n.get("cursor").asString()))));
        return accepted;
    }
}
