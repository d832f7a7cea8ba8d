package dev.herald.schema;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for whatever Herald publishes: an {@link Envelope} (on the user topic) as
 * {@link EnvelopeCodec} writes it, a {@link ChannelMessage} (on the channel topic) as
 * {@link ChannelMessageCodec} does, a {@link Receipt} (on the receipts topic) as {@link ReceiptCodec} does.
 */
public class RecordSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Envelope envelope) {
            return EnvelopeCodec.encode(envelope);
        }
        if (value instanceof ChannelMessage message) {
            return ChannelMessageCodec.encode(message);
        }
        if (value instanceof Receipt receipt) {
            return ReceiptCodec.encode(receipt);
        }
        throw new IllegalArgumentException("cannot serialize a " + value.getClass().getName() + " for " + topic);
    }
}
