package dev.herald.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.herald.schema.Cursor;

import static org.awaitility.Awaitility.await;

/** Direct access to a broker for what the services cannot be asked to do: raw records, reading topics. */
public final class Kafka {

    private Kafka() {
    }

    /** Writes raw records (key, value) in order and returns their positions. */
    public static List<Cursor> produce(String bootstrapServers, String topic, List<Map.Entry<String, byte[]>> records) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<Cursor> positions = new ArrayList<>();
            for (Map.Entry<String, byte[]> record : records) {
                RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())).get();
                positions.add(new Cursor(metadata.partition(), metadata.offset()));
            }
            return positions;
        }
        catch (Exception ex) {
            throw new IllegalStateException("could not produce to " + topic, ex);
        }
    }

    /** Reads {@code topic} from the beginning until a record matches, or fails after 30 s. */
    public static ConsumerRecord<String, byte[]> awaitRecord(String bootstrapServers, String topic,
            Predicate<ConsumerRecord<String, byte[]>> match) {
        return awaitRecords(bootstrapServers, topic, match, 1).get(0);
    }

    /** Reads the whole of {@code topic} and returns the records that match (waits for at least {@code atLeast}). */
    public static List<ConsumerRecord<String, byte[]>> awaitRecords(String bootstrapServers, String topic,
            Predicate<ConsumerRecord<String, byte[]>> match, int atLeast) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (match.test(record)) {
                        found.add(record);
                    }
                });
                return found.size() >= atLeast;
            });
            // Drain what is left, so that "exactly n" can be asserted by the caller.
            for (int empty = 0; empty < 3;) {
                var batch = consumer.poll(Duration.ofMillis(200));
                empty = batch.isEmpty() ? empty + 1 : 0;
                batch.forEach(record -> {
                    if (match.test(record)) {
                        found.add(record);
                    }
                });
            }
            return found;
        }
    }

    /**
     * Sets {@code group}'s committed offset of {@code position}'s partition to {@code position}, as
     * if the commits after it were lost. The group must have no members (its consumers stopped);
     * waits until the broker has seen them leave.
     */
    public static void commitOffset(String bootstrapServers, String group, String topic, Cursor position) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition(topic, position.partition()),
                    new OffsetAndMetadata(position.offset()));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> admin.alterConsumerGroupOffsets(group, offsets).all().get());
        }
    }

    /** Every record of {@code topic}, read from the beginning up to the end it has now (or fails after 30 s). */
    public static List<ConsumerRecord<String, byte[]>> readToEnd(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
            return records;
        }
    }
}
