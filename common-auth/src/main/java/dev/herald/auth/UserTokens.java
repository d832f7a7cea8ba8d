package dev.herald.auth;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * End-user tokens: HS256 JWTs whose subject is the user id and which must carry an expiry. Signing
 * and verification are Nimbus's; only HS256 is accepted, so {@code alg: none} and other algorithms
 * are refused.
 */
public final class UserTokens {

    /** The shortest secret HS256 allows (256 bits). */
    public static final int MIN_SECRET_BYTES = 32;

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final byte[] secret;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor;

    public UserTokens(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the user-token secret must be at least " + MIN_SECRET_BYTES + " bytes (HS256)");
        }
        this.clock = clock;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(this.secret)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, null, Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** A signed token for {@code userId} that expires after {@code ttl}. */
    public IssuedToken mint(String userId, Duration ttl) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("could not sign a user token", ex);
        }
        return new IssuedToken(jwt.serialize(), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /** The verified token's user id; throws {@link InvalidTokenException} saying what is wrong. */
    public VerifiedToken verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("a user token is required");
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return new VerifiedToken(claims.getSubject(), claims.getExpirationTime().toInstant());
        }
        catch (BadJWTException ex) {
            throw new InvalidTokenException(ex.getMessage().contains("xpired") ? "the user token has expired"
                    : "the user token's claims are invalid: " + ex.getMessage());
        }
        catch (ParseException | BadJOSEException | JOSEException ex) {
            throw new InvalidTokenException("the user token is malformed or not signed with the configured key");
        }
    }

    public record IssuedToken(String token, Instant expiresAt) {
    }

    public record VerifiedToken(String userId, Instant expiresAt) {
    }
}
