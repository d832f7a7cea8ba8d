package dev.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/** Tokens from the app's own identity provider: RS256/ES256 by public key or JWKS, issuer, audience, skew. */
class UserTokensKeysTests {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static String sign(JWSSigner signer, JWSAlgorithm alg, String keyId, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(keyId).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims(String user) {
        return new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(NOW.plusSeconds(300)));
    }

    private static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    @Test
    void verifiesRs256WithAConfiguredPublicKey() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        UserTokens tokens = new UserTokens(new UserTokens.Settings(null, pem(rsa.toPublicKey()), null, null, null, null), CLOCK);

        String token = sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, null, claims("alice").build());

        assertThat(tokens.verify(token).userId()).isEqualTo("alice");
        assertThat(tokens.canMint()).isFalse();
    }

    @Test
    void verifiesEs256WithAConfiguredPublicKeyAndRefusesOtherKeys() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        UserTokens tokens = new UserTokens(new UserTokens.Settings(null, pem(ec.toPublicKey()), null, null, null, null), CLOCK);

        assertThat(tokens.verify(sign(new ECDSASigner(ec), JWSAlgorithm.ES256, null, claims("bob").build())).userId()).isEqualTo("bob");
        assertThatThrownBy(() -> tokens.verify(sign(new ECDSASigner(other), JWSAlgorithm.ES256, null, claims("bob").build())))
                .isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void refusesAnHs256TokenSignedWithThePublicKeyAsSecret() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String publicPem = pem(rsa.toPublicKey());
        UserTokens tokens = new UserTokens(new UserTokens.Settings(null, publicPem, null, null, null, null), CLOCK);
        // The classic algorithm-confusion attack: HS256 keyed with the (public) RSA key.
        String forged = new UserTokens(publicPem + "-padding-to-32-bytes", CLOCK).mint("mallory", Duration.ofMinutes(5)).token();

        assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidTokenException.class);
    }

    @Test
    void verifiesWithKeysFetchedFromAJwksUrl() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(List.of(rsa.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
            UserTokens tokens = new UserTokens(new UserTokens.Settings(null, null, uri, null, null, null), Clock.systemUTC());
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("carol").expirationTime(Date.from(Instant.now().plusSeconds(60))).build();

            assertThat(tokens.verify(sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "k1", claims)).userId()).isEqualTo("carol");
        }
        finally {
            jwks.stop(0);
        }
    }

    @Test
    void checksIssuerAndAudienceWhenConfigured() {
        String secret = "0123456789abcdef0123456789abcdef-iss";
        UserTokens.Settings strict = new UserTokens.Settings(secret, null, null, "https://id.example.com", "herald", null);
        UserTokens tokens = new UserTokens(strict, CLOCK);
        UserTokens lax = new UserTokens(secret, CLOCK);

        assertThat(tokens.verify(tokens.mint("dave", Duration.ofMinutes(1)).token()).userId()).isEqualTo("dave");
        assertThatThrownBy(() -> tokens.verify(lax.mint("dave", Duration.ofMinutes(1)).token()))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("claims");
    }

    @Test
    void toleratesOnlyTheConfiguredClockSkew() {
        String secret = "0123456789abcdef0123456789abcdef-skew";
        String token = new UserTokens(secret, CLOCK).mint("erin", Duration.ofSeconds(10)).token();
        Clock later = Clock.fixed(NOW.plusSeconds(40), ZoneOffset.UTC);

        assertThat(new UserTokens(new UserTokens.Settings(secret, null, null, null, null, Duration.ofSeconds(60)), later)
                .verify(token).userId()).isEqualTo("erin");
        assertThatThrownBy(() -> new UserTokens(new UserTokens.Settings(secret, null, null, null, null, Duration.ofSeconds(5)), later)
                .verify(token)).hasMessageContaining("expired");
        assertThatThrownBy(() -> new UserTokens(new UserTokens.Settings(secret, null, null, null, null, Duration.ofHours(1)), later))
                .hasMessageContaining("clock skew");
    }
}
