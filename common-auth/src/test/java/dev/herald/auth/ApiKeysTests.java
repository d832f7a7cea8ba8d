package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.herald.auth.ApiKeys.Scope;

class ApiKeysTests {

    private final ApiKeys keys = new ApiKeys(List.of(
            ApiKeys.Key.fromHash("shop", ApiKeys.hash("key-one"), Set.of(Scope.SEND)),
            ApiKeys.Key.fromHash("billing", ApiKeys.hash("key-two"), Set.of(Scope.SEND, Scope.TOKENS)),
            ApiKeys.Key.fromHash("billing-next", ApiKeys.hash("key-three"), Set.of(Scope.SEND, Scope.TOKENS))));

    @Test
    void namesTheServiceWhoseKeyMatchesWithItsScopes() {
        assertThat(keys.authenticate("key-one")).hasValueSatisfying(caller -> {
            assertThat(caller.name()).isEqualTo("shop");
            assertThat(caller.may(Scope.SEND)).isTrue();
            assertThat(caller.may(Scope.TOKENS)).isFalse();
        });
        assertThat(keys.authenticate("key-two").map(ApiKeys.Caller::name)).contains("billing");
    }

    @Test
    void acceptsSeveralKeysAtOnceForRotation() {
        assertThat(keys.authenticate("key-three").map(ApiKeys.Caller::name)).contains("billing-next");
    }

    @Test
    void refusesAnythingElse() {
        assertThat(keys.authenticate("key-on")).isEmpty();
        assertThat(keys.authenticate("KEY-ONE")).isEmpty();
        assertThat(keys.authenticate(ApiKeys.hash("key-one"))).as("the hash is not the key").isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
    }

    @Test
    void aKeyVerifiedBeforeStillNamesItsCallerAndNothingElseGetsIn() {
        for (int i = 0; i < 3; i++) {
            assertThat(keys.authenticate("key-one").map(ApiKeys.Caller::name)).contains("shop");
            assertThat(keys.authenticate("key-three").map(ApiKeys.Caller::name)).contains("billing-next");
            assertThat(keys.authenticate("key-one ")).isEmpty();
            assertThat(keys.authenticate("key-onf")).isEmpty();
        }
    }

    @Test
    void hashesAreSha256InHex() {
        assertThat(ApiKeys.hash("herald-dev-api-key-NOT-FOR-PRODUCTION"))
                .isEqualTo("sha256:058ecce38d73ee453eac6c273eb801da3b98d7187a9818a72d2d209899a1bfd4");
    }

    @Test
    void generatedKeysAreRandomAndLong() {
        String a = ApiKeys.generate();
        assertThat(a).startsWith("hk_").hasSize(46).isNotEqualTo(ApiKeys.generate());
    }

    @Test
    void refusesMalformedHashesAndEmptyConfiguration() {
        assertThatThrownBy(() -> ApiKeys.Key.fromHash("shop", "plain-text-key", Set.of())).hasMessageContaining("sha256:");
        assertThatThrownBy(() -> ApiKeys.Key.fromHash("shop", "sha256:" + "z".repeat(64), Set.of())).hasMessageContaining("hexadecimal");
        assertThatThrownBy(() -> new ApiKeys(List.of())).hasMessageContaining("at least one API key");
    }
}
