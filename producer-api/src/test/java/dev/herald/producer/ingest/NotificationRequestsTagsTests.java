package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.support.ApiException;

import org.springframework.util.unit.DataSize;

class NotificationRequestsTagsTests {

    private final NotificationRequests requests = new NotificationRequests(new ProducerProperties(Duration.ofSeconds(5),
            DataSize.ofKilobytes(256), 5, 50, Duration.ofHours(1), Duration.ofHours(24), 32,
            new ProducerProperties.RateLimit(0, 1)));
    private final NotificationRequests.Ingest ingest = new NotificationRequests.Ingest("t", "key-1", Instant.parse("2026-11-28T12:00:00Z"));

    private static JsonNode json(String text) {
        return EnvelopeCodec.mapper().readTree(text);
    }

    @Test
    void everyRecipientsEventCarriesTheTags() {
        List<Envelope> events = requests.single(json("""
                {"recipients":["a","b"],"type":"order.shipped","title":"T","tags":["vip","eu-west"]}"""), ingest);
        assertThat(events).extracting(Envelope::tags).containsOnly(List.of("vip", "eu-west"));
    }

    @Test
    void withoutTagsTheEventHasNone() {
        assertThat(requests.single(json("""
                {"userId":"a","type":"order.shipped","title":"T"}"""), ingest).get(0).tags()).isEmpty();
    }

    @Test
    void aBadTagInABatchIsNamedByItsIndex() {
        assertThatThrownBy(() -> requests.batch(json("""
                {"notifications":[{"userId":"a","type":"x","title":"T","tags":["ok"]},
                                  {"userId":"a","type":"x","title":"T","tags":["ok","also-ok","Not OK"]}]}"""), ingest))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.errors()).extracting(FieldError::field)
                        .containsExactly("notifications[1].tags[2]"));
    }

    @Test
    void repeatedAndTooManyTagsAreRefused() {
        assertThatThrownBy(() -> requests.single(json("""
                {"userId":"a","type":"x","title":"T","tags":["vip","vip"]}"""), ingest))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.errors()).extracting(FieldError::field)
                        .containsExactly("tags[1]"));
        assertThatThrownBy(() -> requests.single(json("""
                {"userId":"a","type":"x","title":"T","tags":["a","b","c","d","e","f","g","h","i","j","k"]}"""), ingest))
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.errors()).extracting(FieldError::field)
                        .containsExactly("tags"));
    }
}
