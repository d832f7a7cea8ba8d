package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.schema.NotificationAction;
import dev.herald.support.ApiException;

import org.springframework.util.unit.DataSize;

/** {@code actions} and {@code expiresAt} in single and batch requests and channel messages. */
class NotificationRequestsActionsTests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final NotificationRequests requests = new NotificationRequests(new ProducerProperties(Duration.ofSeconds(5),
            DataSize.ofKilobytes(256), 5, 50, Duration.ofHours(1), Duration.ofHours(24), 32,
            new ProducerProperties.RateLimit(0, 1)));
    private final NotificationRequests.Ingest ingest = new NotificationRequests.Ingest("shop", "key-1", NOW);

    @Test
    void carriesActionsAndExpiryToEveryRecipientsEvent() {
        List<Envelope> events = requests.single(EnvelopeCodec.mapper().readTree("""
                {"recipients":["a","b"],"type":"order.shipped","title":"Shipped",
                 "actions":[{"id":"open","label":"Open","url":"https://shop.example/o/1"},
                            {"id":"later","label":"Later","action":"snooze"}],
                 "expiresAt":"2026-12-04T12:00:00Z"}"""), ingest);
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.actions()).containsExactly(NotificationAction.link("open", "Open", "https://shop.example/o/1"),
                    NotificationAction.named("later", "Later", "snooze"));
            assertThat(e.expiresAt()).isEqualTo(Instant.parse("2026-12-04T12:00:00Z"));
        });
    }

    @Test
    void namesTheBadFieldOfABatchItem() {
        assertThatThrownBy(() -> requests.batch(EnvelopeCodec.mapper().readTree("""
                {"notifications":[
                  {"userId":"a","type":"t","title":"T"},
                  {"userId":"a","type":"t","title":"T","actions":[{"id":"x","label":"X","action":"x"},{"id":"y","label":"Y","url":"mailto:a@b"}],
                   "expiresAt":"2026-12-03T11:59:59Z"}]}"""), ingest))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("notifications[1].actions[1].url", "notifications[1].expiresAt"));
    }

    @Test
    void acceptsThemOnChannelMessages() {
        var message = requests.channelMessage("system", EnvelopeCodec.mapper().readTree("""
                {"type":"system.maintenance","title":"Down at 3","expiresAt":"2026-12-03T15:00:00Z",
                 "actions":[{"id":"status","label":"Status page","url":"https://status.example"}]}"""), ingest);
        assertThat(message.expiresAt()).isEqualTo(Instant.parse("2026-12-03T15:00:00Z"));
        assertThat(message.actions()).hasSize(1);
        assertThatThrownBy(() -> requests.channelMessage("system", EnvelopeCodec.mapper().readTree("""
                {"type":"t","title":"T","expiresAt":"soon"}"""), ingest))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.errors()).extracting(FieldError::field)
                        .containsExactly("expiresAt"));
    }
}
