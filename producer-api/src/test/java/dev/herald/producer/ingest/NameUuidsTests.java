package dev.herald.producer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class NameUuidsTests {

    /** The eventIds of requests retried across an upgrade must not change: the JDK's ids, byte for byte. */
    @Test
    void areTheJdksNameBasedUuids() {
        Random random = new Random(5);
        for (int i = 0; i < 50_000; i++) {
            byte[] name = new byte[random.nextInt(200)];
            random.nextBytes(name);
            assertThat(NameUuids.of(name)).isEqualTo(UUID.nameUUIDFromBytes(name));
        }
    }
}
