package dev.herald.producer.dev;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The development-only helpers of producer-api: the demo page ({@code /demo/}), the SDK
 * ({@code /sdk/herald.js}) and the {@code /dev/**} endpoints the page uses instead of an API key.
 * Off unless {@code herald.dev.enabled=true}; never enable it in production, since anyone who can
 * reach producer-api could then mint tokens for any user and send notifications.
 *
 * @param enabled whether the helpers exist at all
 * @param storeUrl notification-store's base URL as the browser reaches it
 * @param gatewayUrl any push gateway's base URL as the browser reaches it (for {@code /v1/route})
 * @param source the caller name that {@code /dev/notifications} sends as; it becomes the events'
 *        {@code source}
 */
@ConfigurationProperties("herald.dev")
record DevProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://localhost:8081") String storeUrl,
        @DefaultValue("http://localhost:8082") String gatewayUrl,
        @DefaultValue("dev") String source) {
}
