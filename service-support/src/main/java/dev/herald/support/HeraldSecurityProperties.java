package dev.herald.support;

import java.util.Map;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Credentials of the services.
 *
 * @param apiKeys calling service name to its API key (set herald.security.api-keys.&lt;name&gt;); the
 *        name becomes the {@code source} of the events it sends
 * @param jwtSecret the HS256 secret of user tokens, at least 32 bytes (set herald.security.jwt-secret
 *        or HERALD_JWT_SECRET)
 */
@Validated
@ConfigurationProperties("herald.security")
public record HeraldSecurityProperties(
        @NotEmpty(message = "configure at least one API key: herald.security.api-keys.<name>=<key>")
        Map<String, String> apiKeys,
        @Size(min = 32, message = "set herald.security.jwt-secret (HERALD_JWT_SECRET) to at least 32 characters")
        String jwtSecret) {

    public HeraldSecurityProperties {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
        jwtSecret = jwtSecret == null ? "" : jwtSecret;
    }
}
