package dev.herald.gateway.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.herald.gateway.channels.ChannelMetrics;
import dev.herald.gateway.ownership.OutboundFrame;
import dev.herald.gateway.ownership.Subscriber;
import dev.herald.schema.frames.Frames;
import dev.herald.schema.frames.ServerFrame;

/**
 * One session's subscription to one channel: what the channel's partition sees. Live messages go
 * through the session's bound (a subscriber that falls behind closes its session with 4008); the
 * opening frames do not, as a long replay has to fill it.
 */
final class ChannelSubscription implements Subscriber {

    private final ClientSession session;
    private final String channel;
    private final ChannelMetrics metrics;

    ChannelSubscription(ClientSession session, String channel, ChannelMetrics metrics) {
        this.session = session;
        this.channel = channel;
        this.metrics = metrics;
    }

    @Override
    public String key() {
        return channel;
    }

    @Override
    public void send(OutboundFrame frame) {
        session.send(frame);
        metrics.delivered(channel);
    }

    @Override
    public Executor writer() {
        return session.writer();
    }

    @Override
    public void open(Opening opening) {
        Gap gap = opening.gap();
        if (gap != null) {
            String since = opening.since() == null ? null : opening.since().toString();
            session.reply(OutboundFrame.control("resync", Frames.encode(
                    new ServerFrame.ChannelResync(channel, since, gap.reason(), gap.from(), gap.to()))));
        }
        session.reply(OutboundFrame.control("subscribed", Frames.encode(
                new ServerFrame.Subscribed(channel, opening.position(), opening.missed().size()))));
        opening.missed().forEach(session::reply);
    }

    @Override
    public CompletableFuture<Void> close(int code, String reason) {
        return session.close(code, reason);
    }

    @Override
    public String toString() {
        return "subscription of " + session + " to " + channel;
    }
}
