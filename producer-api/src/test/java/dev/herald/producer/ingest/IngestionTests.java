package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class IngestionTests {

    @Test
    void generatedIdempotencyKeysAreDistinctVersion4Uuids() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = Ingestion.randomUuid();
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
            seen.add(uuid);
        }
        assertThat(seen).hasSize(10_000);
    }
}
