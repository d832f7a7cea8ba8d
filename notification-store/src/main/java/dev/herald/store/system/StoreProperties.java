package dev.herald.store.system;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import dev.herald.schema.Channels;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Behaviour of notification-store.
 *
 * @param readTimeout how long mark-read waits for its event to be applied (read-your-writes)
 *        before answering 202 instead of 200
 * @param defaultPageSize inbox items per page when the request names no limit
 * @param maxPageSize the largest {@code limit} an inbox request may ask for
 * @param inboxChannels channels addressed to every user: each of their messages is in every user's
 *        inbox list and unread count, stored once (empty: none)
 * @param inboxChannelWindow how far back an inbox channel's messages are in the inbox: messages
 *        accepted longer ago than this are in no inbox (so a user who appears late does not start
 *        with years of alerts unread)
 */
@Validated
@ConfigurationProperties("herald.store")
public record StoreProperties(
        @DefaultValue("5s") Duration readTimeout,
        @DefaultValue("50") @Min(1) int defaultPageSize,
        @DefaultValue("200") @Min(1) @Max(1000) int maxPageSize,
        @DefaultValue("system") List<String> inboxChannels,
        @DefaultValue("30d") Duration inboxChannelWindow) {

    public StoreProperties {
        inboxChannels = inboxChannels == null ? List.of() : List.copyOf(inboxChannels);
        for (String channel : inboxChannels) {
            Channels.problemWith(channel).ifPresent(problem -> {
                throw new IllegalArgumentException("herald.store.inbox-channels: '" + channel + "' " + problem);
            });
        }
        if (inboxChannelWindow == null || inboxChannelWindow.isNegative() || inboxChannelWindow.isZero()) {
            throw new IllegalArgumentException("herald.store.inbox-channel-window must be positive (e.g. 30d)");
        }
    }
}
