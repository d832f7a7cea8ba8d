package dev.herald.auth;

import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * End-user tokens: JWTs whose subject is the user id and which must carry an expiry. They are
 * signed with HS256 and a shared secret (which also lets Herald mint them), or with RS256/ES256 by
 * the app's own identity provider, verified with a configured public key or a JWKS URL. Signing
 * and verification are Nimbus's; only the configured algorithms are accepted, so {@code alg: none}
 * and algorithm confusion are refused.
 */
public final class UserTokens {

    /** The shortest secret HS256 allows (256 bits). */
    public static final int MIN_SECRET_BYTES = 32;

    /** The largest clock skew accepted, so a misconfiguration cannot make expiry meaningless. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final byte[] secret;
    private final Settings settings;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /** HS256 with {@code secret}, no issuer or audience checks, 30 s of clock skew. */
    public UserTokens(String secret, Clock clock) {
        this(new Settings(secret, null, null, null, null, Duration.ofSeconds(30)), clock);
    }

    public UserTokens(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.secret = settings.secret() == null || settings.secret().isEmpty() ? null
                : settings.secret().getBytes(StandardCharsets.UTF_8);
        if (secret != null && secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the user-token secret must be at least " + MIN_SECRET_BYTES + " bytes (HS256)");
        }
        if (settings.clockSkew().isNegative() || settings.clockSkew().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("the clock skew must be between 0 and " + MAX_CLOCK_SKEW.toMinutes() + " minutes");
        }
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector());
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience(),
                settings.issuer() == null ? null : new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    private JWSVerificationKeySelector<SecurityContext> keySelector() {
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (settings.jwksUri() != null) {
            if (secret != null || settings.publicKeyPem() != null) {
                throw new IllegalArgumentException("a JWKS URL is used alone: remove the secret and the public key");
            }
            try {
                JWKSource<SecurityContext> remote = JWKSourceBuilder.create(settings.jwksUri().toURL()).build();
                return new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), remote);
            }
            catch (MalformedURLException ex) {
                throw new IllegalArgumentException("the JWKS URL is malformed: " + settings.jwksUri(), ex);
            }
        }
        List<JWK> keys = new ArrayList<>();
        if (secret != null) {
            keys.add(new OctetSequenceKey.Builder(secret).build());
            algorithms.add(JWSAlgorithm.HS256);
        }
        if (settings.publicKeyPem() != null) {
            JWK key = publicKey(settings.publicKeyPem());
            keys.add(key);
            algorithms.add(key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("configure how user tokens are verified: a secret (HS256), a public key or a JWKS URL");
        }
        return new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(new JWKSet(keys)));
    }

    /** An X.509 SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----"), RSA or EC P-256. */
    private static JWK publicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec;
        try {
            spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("the public key is not PEM (-----BEGIN PUBLIC KEY-----)", ex);
        }
        try {
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        }
        catch (GeneralSecurityException notRsa) {
            try {
                ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                if (!Curve.P_256.equals(curve)) {
                    throw new IllegalArgumentException("an EC public key must be on P-256 (ES256), not " + curve);
                }
                return new ECKey.Builder(Curve.P_256, ec).build();
            }
            catch (GeneralSecurityException notEc) {
                throw new IllegalArgumentException("the public key must be RSA (RS256) or EC P-256 (ES256)", notEc);
            }
        }
    }

    /** Whether this instance can mint tokens (only with an HS256 secret). */
    public boolean canMint() {
        return secret != null;
    }

    /** The claim that lists the channel patterns a token's holder may subscribe to. */
    public static final String CHANNELS_CLAIM = "channels";

    /** A signed token for {@code userId} that expires after {@code ttl}. */
    public IssuedToken mint(String userId, Duration ttl) {
        return mint(userId, ttl, List.of());
    }

    /** A signed token for {@code userId} that expires after {@code ttl} and grants {@code channels} (patterns). */
    public IssuedToken mint(String userId, Duration ttl, List<String> channels) {
        if (secret == null) {
            throw new IllegalStateException("minting user tokens needs an HS256 secret");
        }
        Instant now = clock.instant();
        Instant expiresAt = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt));
        if (!channels.isEmpty()) {
            claims.claim(CHANNELS_CLAIM, List.copyOf(channels));
        }
        if (settings.issuer() != null) {
            claims.issuer(settings.issuer());
        }
        if (settings.audience() != null) {
            claims.audience(settings.audience());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("could not sign a user token", ex);
        }
        return new IssuedToken(jwt.serialize(), expiresAt);
    }

    /** The verified token's user id and expiry; throws {@link InvalidTokenException} saying what is wrong. */
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("a user token is required");
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            List<String> channels = claims.getStringListClaim(CHANNELS_CLAIM);
            return new VerifiedToken(claims.getSubject(), claims.getExpirationTime().toInstant(),
                    channels == null ? List.of() : channels);
        }
        catch (BadJWTException ex) {
            throw new InvalidTokenException(ex.getMessage().contains("xpired") ? "the user token has expired"
                    : "the user token's claims are invalid: " + ex.getMessage());
        }
        catch (ParseException | BadJOSEException | JOSEException ex) {
            throw new InvalidTokenException("the user token is malformed or not signed with a configured key");
        }
    }

    /**
     * How user tokens are verified (and minted).
     *
     * @param secret the HS256 secret, at least 32 bytes; null when tokens come only from elsewhere
     * @param publicKeyPem a PEM public key (RSA for RS256, EC P-256 for ES256), or null
     * @param jwksUri the identity provider's JWKS URL (used alone), or null
     * @param issuer when set, the {@code iss} every token must carry
     * @param audience when set, a value the token's {@code aud} must contain
     * @param clockSkew tolerance for {@code exp} and {@code nbf}, at most {@link #MAX_CLOCK_SKEW}
     */
    public record Settings(String secret, String publicKeyPem, URI jwksUri, String issuer, String audience, Duration clockSkew) {

        public Settings {
            clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
            issuer = blankToNull(issuer);
            audience = blankToNull(audience);
            publicKeyPem = blankToNull(publicKeyPem);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }

    public record IssuedToken(String token, Instant expiresAt) {
    }

    /**
     * @param channels the channel patterns the token grants (claim {@value #CHANNELS_CLAIM}); empty when none
     */
    public record VerifiedToken(String userId, Instant expiresAt, List<String> channels) {

        public VerifiedToken {
            channels = List.copyOf(channels);
        }
    }
}
