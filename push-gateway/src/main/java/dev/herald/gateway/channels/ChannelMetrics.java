package dev.herald.gateway.channels;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.herald.support.HeraldChannelProperties;

import org.springframework.stereotype.Component;

/** {@code herald.gateway.channel.messages.delivered{family}}: messages written to subscribers, every family at 0 from start-up. */
@Component
public class ChannelMetrics {

    private final HeraldChannelProperties channels;
    private final Map<String, Counter> delivered = new HashMap<>();

    ChannelMetrics(HeraldChannelProperties channels, MeterRegistry meters) {
        this.channels = channels;
        for (String family : channels.familyLabels()) {
            delivered.put(family, Counter.builder("herald.gateway.channel.messages.delivered")
                    .description("channel messages handed to subscribers' sockets, by channel family")
                    .tag("family", family).register(meters));
        }
    }

    /** A live message of {@code channel} went to one subscriber. */
    public void delivered(String channel) {
        delivered.get(channels.familyLabel(channel)).increment();
    }
}
