package dev.herald.support;

import java.util.List;
import java.util.stream.Stream;

import dev.herald.schema.Channels;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Channels as the services report them.
 *
 * @param families the channel families (first segments, e.g. {@code order} of {@code order:42}) that
 *        metrics count on their own; every other family is counted as {@code other}. A fixed list
 *        keeps the label's values bounded and lets every series exist, at 0, from start-up.
 */
@ConfigurationProperties("herald.channels")
public record HeraldChannelProperties(@DefaultValue({ "system", "order", "dashboard" }) List<String> families) {

    public static final String OTHER = "other";

    public HeraldChannelProperties {
        families = List.copyOf(families);
    }

    /** The {@code family} label of {@code channel}. */
    public String familyLabel(String channel) {
        String family = Channels.familyOf(channel);
        return families.contains(family) ? family : OTHER;
    }

    /** Every value the {@code family} label can take. */
    public List<String> familyLabels() {
        return Stream.concat(families.stream(), Stream.of(OTHER)).distinct().toList();
    }
}
