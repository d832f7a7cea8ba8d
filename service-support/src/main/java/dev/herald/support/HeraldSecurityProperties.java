package dev.herald.support;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.NotEmpty;

import dev.herald.auth.ApiKeys;
import dev.herald.auth.UserTokens;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Credentials of the services and how user tokens are verified. User tokens are HS256 with
 * {@code jwtSecret} (which also lets producer-api mint them), and/or RS256/ES256 from the app's own
 * identity provider via {@code jwtPublicKey} or {@code jwtJwksUri}.
 *
 * @param apiKeys calling service name to its key's hash and scopes (herald.security.api-keys.&lt;name&gt;.hash
 *        and .scopes); the name becomes the {@code source} of the events it sends
 * @param jwtSecret the HS256 secret, at least 32 bytes (HERALD_JWT_SECRET); empty to accept only
 *        tokens signed by a key pair
 * @param jwtPublicKey a PEM public key (RSA: RS256, EC P-256: ES256) that user tokens may be signed with
 * @param jwtJwksUri the identity provider's JWKS URL (used alone, instead of secret and public key)
 * @param jwtIssuer when set, the {@code iss} every user token must carry
 * @param jwtAudience when set, a value every user token's {@code aud} must contain
 * @param jwtClockSkew tolerance on {@code exp}/{@code nbf}, at most 5 minutes
 */
@Validated
@ConfigurationProperties("herald.security")
public record HeraldSecurityProperties(
        @NotEmpty(message = "configure at least one API key: herald.security.api-keys.<name>.hash=sha256:… (./herald new-key <name>)")
        Map<String, ApiKey> apiKeys,
        String jwtSecret,
        String jwtPublicKey,
        URI jwtJwksUri,
        String jwtIssuer,
        String jwtAudience,
        @DefaultValue("30s") Duration jwtClockSkew) {

    public HeraldSecurityProperties {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
    }

    ApiKeys keys() {
        return new ApiKeys(apiKeys.entrySet().stream()
                .map(e -> ApiKeys.Key.fromHash(e.getKey(), e.getValue().hash(), e.getValue().scopes()))
                .toList());
    }

    UserTokens.Settings userTokens() {
        return new UserTokens.Settings(jwtSecret, jwtPublicKey, jwtJwksUri, jwtIssuer, jwtAudience, jwtClockSkew);
    }

    /**
     * One API key.
     *
     * @param hash {@code sha256:<hex>} of the key, never the key itself
     * @param scopes what it may do: send, tokens, read
     */
    public record ApiKey(String hash, Set<ApiKeys.Scope> scopes) {

        public ApiKey {
            scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        }
    }
}
