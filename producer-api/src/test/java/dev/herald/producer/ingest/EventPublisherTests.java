package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.herald.auth.ApiKeys;
import dev.herald.producer.system.IngestMetrics;
import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.Cursor;
import dev.herald.schema.Envelope;
import dev.herald.schema.RecordSerializer;
import dev.herald.support.ApiException;
import dev.herald.support.HeraldChannelProperties;

import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

class EventPublisherTests {

    private static final Duration SEND_TIMEOUT = Duration.ofMillis(500);

    private final MockProducer<String, Object> kafka = new MockProducer<>(false, null, new StringSerializer(), new RecordSerializer());
    private final EventPublisher publisher = publisher(SEND_TIMEOUT);

    private EventPublisher publisher(Duration sendTimeout) {
        return new EventPublisher(new KafkaTemplate<>(new MockProducerFactory<>(() -> kafka)),
                new ProducerProperties(sendTimeout, null, 1000, 10000, Duration.ofHours(1), Duration.ofHours(24), 32,
                        new ProducerProperties.RateLimit(20000, 40000)),
                new IngestMetrics(new SimpleMeterRegistry(), new ApiKeys(List.of(ApiKeys.Key.fromHash("it", ApiKeys.hash("k"),
                        Set.of(ApiKeys.Scope.SEND)))), new HeraldChannelProperties(List.of("system"))),
                (topic, partition, offset) -> new Cursor(partition, offset));
    }

    @Test
    void returnsTheCursorsOnceKafkaAcknowledgedEveryRecord() {
        CompletableFuture<List<Cursor>> publishing = publish("e-1", "e-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> kafka.history().size() == 2);
        kafka.completeNext();
        kafka.completeNext();

        assertThat(publishing.join()).hasSize(2);
    }

    @Test
    void answers503OnlyOnceKafkaReportedOnEveryRecordItWasGiven() {
        // A send-timeout long enough that the verdict wait cannot end the wait below on a busy machine.
        CompletableFuture<List<Cursor>> publishing = publish(publisher(Duration.ofSeconds(30)), "e-1", "e-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> kafka.history().size() == 2);

        kafka.errorNext(new TimeoutException("Expiring 1 record(s) for herald.user-events-0"));
        // The second record is still Kafka's: answering now could be followed by its delivery.
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !publishing.isDone());
        kafka.errorNext(new TimeoutException("Expiring 1 record(s) for herald.user-events-0"));

        assertThatThrownBy(publishing::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(ApiException.class, ex -> {
                    assertThat(ex.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(ex.getMessage()).contains("Expiring 1 record(s)");
                });
    }

    @Test
    void answers503ARecordKafkaNeverReportsOnAfterTheVerdictWait() {
        long started = System.nanoTime();
        CompletableFuture<List<Cursor>> publishing = publish("e-1");

        assertThatThrownBy(publishing::join).cause()
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.getMessage()).contains("not acknowledged within 600 ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void publishingAsynchronouslyReturnsAtOnceAndCompletesWithKafkasVerdict() {
        Instant now = Instant.now();
        CompletableFuture<List<Cursor>> publishing = publisher.publishAsync(List.of(
                Envelope.notification("e-1", "alice", "chat.message", "Hi", "", null, now, now, "shop")));
        assertThat(publishing).isNotDone();

        await().atMost(Duration.ofSeconds(5)).until(() -> kafka.history().size() == 1);
        kafka.completeNext();

        assertThat(publishing.join()).hasSize(1);
    }

    private CompletableFuture<List<Cursor>> publish(String... eventIds) {
        return publish(publisher, eventIds);
    }

    private static CompletableFuture<List<Cursor>> publish(EventPublisher publisher, String... eventIds) {
        Instant now = Instant.now();
        List<Envelope> events = List.of(eventIds).stream()
                .map(id -> Envelope.notification(id, "alice", "chat.message", "Hi", "", null, now, now, "shop"))
                .toList();
        return CompletableFuture.supplyAsync(() -> publisher.publish(events));
    }
}
