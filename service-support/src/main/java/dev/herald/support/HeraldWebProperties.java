package dev.herald.support;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Browser access to the REST APIs.
 *
 * @param allowedOrigins origins (e.g. {@code https://app.example.com}) whose pages may call
 *        {@code /v1/**} from the browser; empty allows none
 */
@ConfigurationProperties("herald.cors")
public record HeraldWebProperties(List<String> allowedOrigins) {

    public HeraldWebProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
}
