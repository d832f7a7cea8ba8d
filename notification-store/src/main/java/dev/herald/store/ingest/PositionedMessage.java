package dev.herald.store.ingest;

import dev.herald.schema.ChannelMessage;

/** A valid channel message and where it sits in {@code herald.channel-events}. */
record PositionedMessage(ChannelMessage message, int partition, long offset) {
}
