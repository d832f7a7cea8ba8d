package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.herald.producer.system.ProducerProperties;
import dev.herald.schema.Envelope;
import dev.herald.schema.EnvelopeCodec;
import dev.herald.schema.FieldError;
import dev.herald.schema.InvalidEventException;
import dev.herald.support.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/**
 * Whatever a client sends is either accepted, and then every event round-trips through the
 * envelope codec unchanged, or refused with a 400 that names the bad fields — never anything else
 * (which would be a 500).
 */
class NotificationRequestsPropertyTests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> KNOWN = Set.of("userId", "recipients", "type", "title", "body", "data", "eventId", "occurredAt",
            "critical");

    private final NotificationRequests requests = new NotificationRequests(new ProducerProperties(Duration.ofSeconds(5),
            DataSize.ofKilobytes(256), 5, 50, Duration.ofHours(1), Duration.ofHours(24), 32,
            new ProducerProperties.RateLimit(0, 1)));
    private final NotificationRequests.Ingest ingest = new NotificationRequests.Ingest("prop", "key-1", Instant.parse("2026-11-28T12:00:00Z"));

    @Property(tries = 2000)
    @StatisticsReport(onFailureOnly = true)
    void anyRequestIsAcceptedAndRoundTripsOrRefusedNamingAField(@ForAll("requests") JsonNode body) {
        List<Envelope> events;
        try {
            events = requests.single(body, ingest);
        }
        catch (ApiException refused) {
            assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(refused.errors()).isNotEmpty().allSatisfy(error -> assertNamesAField(error, body));
            Statistics.collect("refused");
            return;
        }
        Statistics.collect("accepted");
        assertThat(events).isNotEmpty();
        for (Envelope event : events) {
            assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(event))).isEqualTo(event);
        }
    }

    @Property(tries = 2000)
    @StatisticsReport(onFailureOnly = true)
    void anyRecordIsDecodedAndRoundTripsOrRefusedNamingAField(@ForAll("records") JsonNode record) {
        Envelope event;
        try {
            event = EnvelopeCodec.fromJson(record);
        }
        catch (InvalidEventException refused) {
            assertThat(refused.errors()).isNotEmpty().allSatisfy(error -> assertThat(error.field()).isNotBlank());
            Statistics.collect("refused");
            return;
        }
        Statistics.collect("accepted");
        assertThat(EnvelopeCodec.decode(EnvelopeCodec.encode(event))).isEqualTo(event);
    }

    /** Both outcomes must actually be explored, or the properties would prove little. */
    @AfterProperty
    void bothOutcomesWereTried() {
        Statistics.coverage(coverage -> {
            coverage.check("accepted").count(n -> n > 0);
            coverage.check("refused").count(n -> n > 0);
        });
    }

    private static void assertNamesAField(FieldError error, JsonNode body) {
        String root = error.field().replaceAll("\\[\\d+]$", "");
        assertThat(root.equals("$") || KNOWN.contains(root) || body.has(root)).as(error.toString()).isTrue();
        assertThat(error.message()).isNotBlank();
    }

    /** Random objects, and valid requests with a few fields changed, removed or added. */
    @Provide
    Arbitrary<JsonNode> requests() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(KNOWN), Arbitraries.strings().ofMaxLength(6));
        Arbitrary<JsonNode> random = Arbitraries.maps(names, values(2)).ofMaxSize(8).map(NotificationRequestsPropertyTests::object);
        Arbitrary<JsonNode> recipients = Arbitraries.of("alice", "bob", "carol", "d\u00e9sir\u00e9e", " x", "").list().ofMaxSize(7)
                .map(list -> {
                    var array = JSON.arrayNode();
                    list.forEach(array::add);
                    return (JsonNode) array;
                });
        Arbitrary<ObjectNode> base = Arbitraries.of(true, false).map(single -> {
            ObjectNode valid = JSON.objectNode().put("type", "order.shipped").put("title", "Shipped");
            return single ? valid.put("userId", "alice") : valid.set("recipients", JSON.arrayNode().add("alice").add("bob"));
        });
        Arbitrary<JsonNode> mutated = Arbitraries.lazy(() -> base.flatMap(valid -> names.flatMap(name ->
                Arbitraries.oneOf(values(2), recipients).list().ofMaxSize(3).map(changes -> {
                    ObjectNode copy = valid.deepCopy();
                    for (int i = 0; i < changes.size(); i++) {
                        if (i == 0 && changes.get(i).isNull()) {
                            copy.remove(name);
                        }
                        else {
                            copy.set(i == 0 ? name : List.copyOf(KNOWN).get(Math.floorMod(changes.get(i).hashCode(), KNOWN.size())), changes.get(i));
                        }
                    }
                    return (JsonNode) copy;
                }))));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, random), net.jqwik.api.Tuple.of(1, base.map(b -> (JsonNode) b)),
                net.jqwik.api.Tuple.of(4, mutated));
    }

    @Provide
    Arbitrary<JsonNode> records() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("schemaVersion", "eventId", "kind", "userId", "type", "title",
                "body", "data", "refs", "occurredAt", "acceptedAt", "source", "critical", "preferences"), Arbitraries.strings().ofMaxLength(5));
        Arbitrary<JsonNode> valid = Arbitraries.just(EnvelopeCodec.toJson(Envelope.notification("e-1", "u", "a.b", "T", "", null,
                Instant.EPOCH, Instant.EPOCH, "s")));
        Arbitrary<JsonNode> random = Arbitraries.maps(names, Arbitraries.oneOf(values(2), Arbitraries.of(1, "notification", "read",
                "read_all", "preferences", "2026-11-28T12:00:00Z").map(v -> (JsonNode) (v instanceof Integer i ? JSON.numberNode(i) : JSON.stringNode((String) v)))))
                .ofMaxSize(12).map(NotificationRequestsPropertyTests::object);
        return Arbitraries.oneOf(valid, random, valid.flatMap(v -> names.flatMap(n -> values(1).map(x -> {
            ObjectNode copy = ((ObjectNode) v).deepCopy();
            copy.set(n, x);
            return (JsonNode) copy;
        }))));
    }

    private static Arbitrary<JsonNode> values(int depth) {
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(JSON::stringNode),
                Arbitraries.of("alice", "order.shipped", "Order Shipped", "", " padded ", "a\u0000b", "x".repeat(250),
                        "2026-11-28T12:00:00Z", "yesterday", "7-12").map(JSON::stringNode),
                Arbitraries.integers().map(JSON::numberNode),
                Arbitraries.of(true, false).map(JSON::booleanNode),
                Arbitraries.just(JSON.nullNode()));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<JsonNode> arrays = values(depth - 1).list().ofMaxSize(7).map(list -> {
            var array = JSON.arrayNode();
            list.forEach(array::add);
            return (JsonNode) array;
        });
        Arbitrary<JsonNode> objects = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(4), values(depth - 1))
                .ofMaxSize(3).map(NotificationRequestsPropertyTests::object);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, scalars), net.jqwik.api.Tuple.of(2, arrays),
                net.jqwik.api.Tuple.of(2, objects));
    }

    private static JsonNode object(Map<String, JsonNode> fields) {
        ObjectNode node = JSON.objectNode();
        fields.forEach(node::set);
        return node;
    }
}
