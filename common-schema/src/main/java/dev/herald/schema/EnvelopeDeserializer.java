package dev.herald.schema;

import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for {@link Envelope}. Throws {@link InvalidEventException} for a record
 * that breaks the schema; consumers that must route such records to the DLT read raw bytes and call
 * {@link EnvelopeCodec#decode(byte[])} themselves.
 */
public class EnvelopeDeserializer implements Deserializer<Envelope> {

    @Override
    public Envelope deserialize(String topic, byte[] data) {
        return data == null ? null : EnvelopeCodec.decode(data);
    }
}
