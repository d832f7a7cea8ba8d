package dev.herald.producer.dev;

import java.util.List;

import dev.herald.schema.Channels;

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
 * @param channels the channel patterns the tokens of {@code /dev/tokens} grant (their
 *        {@code channels} claim): a name, {@code name:*} or {@code *}; the demo page subscribes to
 *        {@code system} and {@code order:<id>}
 */
@ConfigurationProperties("herald.dev")
record DevProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://localhost:8081") String storeUrl,
        @DefaultValue("http://localhost:8082") String gatewayUrl,
        @DefaultValue("dev") String source,
        @DefaultValue({"system", "order:*"}) List<String> channels) {

    DevProperties {
        channels = channels == null ? List.of() : List.copyOf(channels);
        for (int i = 0; i < channels.size(); i++) {
            String pattern = channels.get(i);
            int index = i;
            Channels.problemWithPattern(pattern).ifPresent(problem -> {
                throw new IllegalArgumentException("herald.dev.channels[" + index + "] '" + pattern + "' " + problem);
            });
        }
    }
}
