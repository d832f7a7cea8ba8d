package dev.herald.producer.system;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka producer's own bounds, derived from {@code herald.producer.send-timeout} alone, so that
 * Kafka has given up on a record before producer-api answers 503 for it.
 * <p>
 * Of the send-timeout, a record is handed to the producer only within the first fifth
 * ({@link #handOver()}); {@code send()} blocks at most another fifth ({@code max.block.ms}: metadata,
 * buffer space); from its return the producer has three fifths ({@code delivery.timeout.ms}) to have
 * it acknowledged, after which it fails the record's future and never sends it again. So Kafka
 * reports on every record of a request within the send-timeout, and producer-api answers only then.
 * {@code request.timeout.ms} is the most Kafka allows within that ({@code delivery.timeout.ms -
 * linger.ms}): a slow broker is waited for rather than sent the same batch again.
 *
 * @param sendTimeout {@code herald.producer.send-timeout}
 */
public record KafkaTimeouts(Duration sendTimeout) {

    /** Shortest send-timeout: below it Kafka's producer would get less than 300 ms to deliver. */
    public static final Duration MIN_SEND_TIMEOUT = Duration.ofMillis(500);

    /** Longest send-timeout, so that every derived value is a Kafka {@code int} of milliseconds. */
    public static final Duration MAX_SEND_TIMEOUT = Duration.ofMinutes(10);

    public KafkaTimeouts {
        if (sendTimeout == null || sendTimeout.compareTo(MIN_SEND_TIMEOUT) < 0 || sendTimeout.compareTo(MAX_SEND_TIMEOUT) > 0) {
            throw new IllegalArgumentException("herald.producer.send-timeout must be between " + MIN_SEND_TIMEOUT.toMillis()
                    + "ms and " + MAX_SEND_TIMEOUT.toMinutes() + "m, not " + sendTimeout);
        }
    }

    /** How long after a request's first send its records may still be handed to the producer. */
    public Duration handOver() {
        return sendTimeout.dividedBy(5);
    }

    /** {@code max.block.ms}: the longest one {@code send()} may block. */
    public Duration maxBlock() {
        return sendTimeout.dividedBy(5);
    }

    /** {@code delivery.timeout.ms}: from {@code send()} returning until the producer gives up on the record. */
    public Duration deliveryTimeout() {
        return sendTimeout.minus(handOver()).minus(maxBlock());
    }

    /**
     * How long producer-api waits for Kafka's verdict on a request's records before it answers 503
     * regardless: the send-timeout and one more fifth for the producer's thread to run its callbacks.
     * Kafka keeps to its bounds unless its I/O thread is held up (e.g. while it cannot re-register
     * the idempotent producer with a broker that is away); a record still pending then may yet be written.
     */
    public Duration verdictWait() {
        return sendTimeout.plus(sendTimeout.dividedBy(5));
    }

    /**
     * The producer settings that keep Kafka within the send-timeout, given the producer's
     * {@code linger.ms}; fails, saying what to change, when linger would take more than half of
     * Kafka's delivery time.
     */
    public Map<String, Object> producerConfigs(long lingerMs) {
        long delivery = deliveryTimeout().toMillis();
        if (lingerMs < 0 || lingerMs > delivery / 2) {
            throw new IllegalStateException("spring.kafka.producer.properties.linger.ms (" + lingerMs + " ms) must be at most half of"
                    + " Kafka's delivery timeout, " + delivery + " ms (three fifths of herald.producer.send-timeout=" + sendTimeout.toMillis()
                    + "ms): lower linger.ms or raise herald.producer.send-timeout");
        }
        return Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlock().toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery - lingerMs));
    }

    /** {@code linger.ms} as a producer's configuration has it (a number or its text), or Kafka's default. */
    public static long lingerMs(Map<String, Object> producerConfigs) {
        Object linger = producerConfigs.get(ProducerConfig.LINGER_MS_CONFIG);
        if (linger == null) {
            linger = ProducerConfig.configDef().defaultValues().get(ProducerConfig.LINGER_MS_CONFIG);
        }
        return linger instanceof Number number ? number.longValue() : Long.parseLong(linger.toString().trim());
    }
}
