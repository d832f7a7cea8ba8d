package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class UserTokensTests {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final UserTokens tokens = new UserTokens(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void verifiesWhatItMints() {
        UserTokens.IssuedToken issued = tokens.mint("alice", Duration.ofMinutes(10));
        assertThat(issued.expiresAt()).isEqualTo(NOW.plusSeconds(600));
        assertThat(tokens.verify(issued.token()).userId()).isEqualTo("alice");
    }

    @Test
    void refusesAnExpiredToken() {
        String token = tokens.mint("alice", Duration.ofMinutes(1)).token();
        UserTokens later = new UserTokens(SECRET, Clock.fixed(NOW.plusSeconds(120), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void refusesATokenSignedWithAnotherKey() {
        String forged = new UserTokens("another-secret-0123456789abcdef-xyz", Clock.fixed(NOW, ZoneOffset.UTC))
                .mint("alice", Duration.ofMinutes(1)).token();
        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesAnUnsignedToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"alice\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> tokens.verify(header + "." + claims + ".")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesGarbageAndBlanks() {
        assertThatThrownBy(() -> tokens.verify("not.a.jwt")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify(" ")).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void needsASecretLongEnoughForHs256() {
        assertThatThrownBy(() -> new UserTokens("short", Clock.systemUTC())).hasMessageContaining("32 bytes");
    }

    @Test
    void aMintedTokenCarriesTheChannelsItGrants() {
        UserTokens.VerifiedToken plain = tokens.verify(tokens.mint("alice", Duration.ofMinutes(1)).token());
        UserTokens.VerifiedToken granted = tokens.verify(tokens.mint("alice", Duration.ofMinutes(1),
                List.of("system", "order:*")).token());

        assertThat(plain.channels()).isEmpty();
        assertThat(granted.channels()).containsExactly("system", "order:*");
    }
}
