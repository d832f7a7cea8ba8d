package dev.herald.gateway.receipts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.ownership.DeliveryReceipts;
import dev.herald.gateway.routing.LocalGateway;
import dev.herald.schema.Receipt;
import dev.herald.schema.ReceiptCodec;
import dev.herald.schema.Topics;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Produces the gateway's receipts to {@code herald.receipts} (key = user id) from a thread of its
 * own: whoever reports one (the consumer thread under a partition's lock, a session's event loop)
 * only offers it to a bounded queue, so a slow or unreachable broker never delays a delivery. The
 * producer batches them (linger 20 ms, acks=1): receipts are evidence, not state. A receipt lost
 * (queue full, broker down, gateway crash) only makes the store's tracker err towards "not
 * delivered" / "unseen", i.e. an extra e-mail, never a missed one.
 *
 * <p>A notification replayed to a resuming tab after another tab got it live is reported once: the
 * sender remembers the last {@value #REMEMBERED} delivered ids. (The tracker ignores repeats anyway.)
 */
@Component
public class ReceiptEmitter implements DeliveryReceipts, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReceiptEmitter.class);
    static final int REMEMBERED = 10_000;
    private static final int BATCH = 1_000;

    private record Pending(Receipt.Kind kind, String userId, String eventId, long atMillis, int sessions) {
    }

    private final boolean enabled;
    private final KafkaProperties kafka;
    private final LocalGateway local;
    private final BlockingQueue<Pending> queue;
    private final Counter delivered;
    private final Counter seen;
    private final Counter dropped;
    private final Map<String, Boolean> recentlyDelivered = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final Thread sender;
    private volatile boolean running = true;
    private KafkaProducer<String, byte[]> producer;

    ReceiptEmitter(GatewayReceiptsProperties properties, KafkaProperties kafka, LocalGateway local, MeterRegistry meters) {
        this.enabled = properties.enabled();
        this.kafka = kafka;
        this.local = local;
        this.queue = new ArrayBlockingQueue<>(enabled ? properties.maxPending() : 1);
        this.delivered = Counter.builder("herald.gateway.receipts.emitted").tag("kind", "delivered")
                .description("Receipts produced to herald.receipts").register(meters);
        this.seen = Counter.builder("herald.gateway.receipts.emitted").tag("kind", "seen")
                .description("Receipts produced to herald.receipts").register(meters);
        this.dropped = Counter.builder("herald.gateway.receipts.dropped")
                .description("Receipts given up (queue full or the broker refused them)").register(meters);
        this.sender = new Thread(this::run, "herald-gateway-receipts");
        sender.setDaemon(true);
        if (enabled) {
            sender.start();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    @Override
    public void delivered(String userId, String eventId, int sessions) {
        if (enabled) {
            offer(new Pending(Receipt.Kind.DELIVERED, userId, eventId, System.currentTimeMillis(), sessions));
        }
    }

    /** The user's page displayed these notifications (a {@code seen} frame). */
    public void seen(String userId, List<String> eventIds) {
        if (enabled) {
            long now = System.currentTimeMillis();
            eventIds.forEach(id -> offer(new Pending(Receipt.Kind.SEEN, userId, id, now, 1)));
        }
    }

    private void offer(Pending receipt) {
        if (!queue.offer(receipt)) {
            dropped.increment();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                send(batch);
            }
            catch (InterruptedException ex) {
                running = false;
            }
            catch (RuntimeException ex) {
                dropped.increment(batch.size());
                log.warn("Could not produce {} receipts to {}: {}", batch.size(), Topics.RECEIPTS, ex.toString());
            }
            finally {
                batch.clear();
            }
        }
    }

    private void send(List<Pending> batch) {
        if (producer == null) {
            producer = createProducer();
        }
        String gateway = local.publicUrl();
        for (Pending p : batch) {
            if (p.kind() == Receipt.Kind.DELIVERED && recentlyDelivered.put(p.userId() + "\n" + p.eventId(), Boolean.TRUE) != null) {
                continue;
            }
            Receipt receipt = new Receipt(p.kind(), p.userId(), p.eventId(), Instant.ofEpochMilli(p.atMillis()), gateway,
                    p.sessions(), Receipt.SCHEMA_VERSION);
            producer.send(new ProducerRecord<>(Topics.RECEIPTS, p.userId(), ReceiptCodec.encode(receipt)), (metadata, error) -> {
                if (error != null) {
                    dropped.increment();
                }
                else {
                    (p.kind() == Receipt.Kind.DELIVERED ? delivered : seen).increment();
                }
            });
        }
    }

    private KafkaProducer<String, byte[]> createProducer() {
        Map<String, Object> config = new java.util.HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-gateway-receipts");
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        if (enabled) {
            sender.join(Duration.ofSeconds(2).toMillis());
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }
}
