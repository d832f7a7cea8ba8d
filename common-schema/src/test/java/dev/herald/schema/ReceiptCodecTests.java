package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

class ReceiptCodecTests {

    private static final Instant AT = Instant.parse("2026-01-31T12:00:00Z");

    @Test
    void bothKindsSurviveARoundTripAndMatchTheSchema() throws Exception {
        Schema schema;
        try (InputStream in = Receipt.class.getResourceAsStream("receipt-v1.schema.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
        for (Receipt receipt : new Receipt[] { Receipt.delivered("alice", "e-1", AT, "ws://gw-1/ws", 2),
                Receipt.seen("alice", "e-2", AT, "ws://gw-1/ws") }) {
            assertThat(ReceiptCodec.decode(ReceiptCodec.encode(receipt))).isEqualTo(receipt);
            assertThat(schema.validate(ReceiptCodec.toJson(receipt))).isEmpty();
        }
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = "{\"schemaVersion\":1,\"kind\":\"seen\",\"userId\":\"bob\",\"eventId\":\"e-9\",\"at\":\"2026-01-31T12:00:00Z\","
                + "\"gateway\":\"ws://gw/ws\",\"sessions\":1,\"later\":true}";

        assertThat(ReceiptCodec.decode(json.getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(Receipt.Kind.SEEN);
    }

    @Test
    void everyBadFieldIsNamed() {
        String json = "{\"schemaVersion\":1,\"kind\":\"opened\",\"userId\":\" \",\"eventId\":\"-bad\",\"at\":\"yesterday\"}";

        assertThatThrownBy(() -> ReceiptCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, ex -> assertThat(ex.errors())
                        .extracting(FieldError::field).containsExactlyInAnyOrder("kind", "userId", "eventId", "at", "gateway"));
    }
}
