package dev.herald.schema;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for {@link Envelope}: the JSON of {@link EnvelopeCodec}, UTF-8. */
public class EnvelopeSerializer implements Serializer<Envelope> {

    @Override
    public byte[] serialize(String topic, Envelope envelope) {
        return envelope == null ? null : EnvelopeCodec.encode(envelope);
    }
}
