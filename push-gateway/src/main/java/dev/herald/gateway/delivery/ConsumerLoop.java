package dev.herald.gateway.delivery;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

/**
 * A Kafka consumer on a thread of its own, as the gateway runs them: it commits nothing, creates no
 * topic, starts from the log's end unless told where, and retries every error with back-off
 * ({@link KafkaErrors#retrying}) until one is fatal or {@link #stop} is called.
 */
public abstract class ConsumerLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final String whenItFails;
    private final long joinMillis;
    private volatile boolean running;
    private volatile String failure;
    private Thread thread;
    /** Created at start; used by the loop's thread only (and woken up by {@link #stop}). */
    protected volatile KafkaConsumer<String, byte[]> consumer;

    /**
     * @param name the thread's name, and the consumer's in logs
     * @param whenItFails what a fatal failure means for the gateway, for the log
     */
    protected ConsumerLoop(String name, String whenItFails, long joinMillis) {
        this.name = name;
        this.whenItFails = whenItFails;
        this.joinMillis = joinMillis;
    }

    /** The configuration every gateway consumer shares, on top of Spring's. */
    protected static Map<String, Object> configuration(KafkaProperties kafka, String clientId) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** The consumer to run, created at start. */
    protected abstract KafkaConsumer<String, byte[]> createConsumer();

    /** Before the first step, on the loop's thread (e.g. subscribe). */
    protected void beforeLoop() {
    }

    /** One turn of the loop: a poll and what follows it. */
    protected abstract void step();

    /** Once the loop ends, for good or on purpose: close the consumer. */
    protected abstract void afterLoop();

    @Override
    public synchronized void start() {
        consumer = createConsumer();
        running = true;
        thread = new Thread(this::run, name);
        thread.start();
    }

    private void run() {
        try {
            beforeLoop();
            KafkaErrors.retrying(() -> running, this::step, log, name);
        }
        catch (RuntimeException ex) {
            failure = ex.toString();
            log.error("{} failed for good; {}", name, whenItFails, ex);
        }
        finally {
            afterLoop();
        }
    }

    @Override
    public void stop() {
        Thread polling;
        synchronized (this) {
            running = false;
            polling = thread;
        }
        if (polling == null) {
            return;
        }
        consumer.wakeup();
        try {
            polling.join(joinMillis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Why the loop stopped on its own, or null while it works (or was stopped on purpose). */
    public String failure() {
        return failure;
    }
}
