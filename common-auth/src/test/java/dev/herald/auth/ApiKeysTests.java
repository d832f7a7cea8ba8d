package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ApiKeysTests {

    private final ApiKeys keys = new ApiKeys(Map.of("shop", "key-one", "billing", "key-two"));

    @Test
    void namesTheServiceWhoseKeyMatches() {
        assertThat(keys.authenticate("key-one")).contains("shop");
        assertThat(keys.authenticate("key-two")).contains("billing");
    }

    @Test
    void refusesAnythingElse() {
        assertThat(keys.authenticate("key-on")).isEmpty();
        assertThat(keys.authenticate("KEY-ONE")).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
    }

    @Test
    void needsAtLeastOneKey() {
        assertThatThrownBy(() -> new ApiKeys(Map.of())).hasMessageContaining("at least one API key");
    }
}
