package dev.herald.it.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.ServiceProcess;
import dev.herald.it.support.SteadyLoad;
import dev.herald.schema.Topics;
import dev.herald.store.NotificationStoreApplication;
import dev.herald.support.TopicLayout;

import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * A store SIGKILLed while it applies a steady stream of batches (issue 15's fault suite): a second
 * store process shares the group with the test JVM's store; it is killed with its transactions in
 * flight, the survivor takes its partitions once the group notices, and it is restarted and takes
 * some back. No notification lost, none stored twice, the unread counts right.
 */
class StoreCrashIntegrationTests {

    /** The killed store's session timeout: how soon the group hands its partitions to the survivor. */
    private static final String SESSION_TIMEOUT_MS = "6000";

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void aStoreKilledInTheMiddleOfItsBatchesLosesNothingAndStoresNothingTwice() throws Exception {
        MessageListenerContainer survivor = stack.store().getBean(KafkaListenerEndpointRegistry.class)
                .getListenerContainer(Topics.STORE_GROUP);
        TopicLayout layout = stack.store().getBean(TopicLayout.class);
        int partitions = layout.layout().partitions();
        Set<Integer> all = IntStream.range(0, partitions).boxed().collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(30)).until(() -> partitionsOf(survivor).size() == partitions);

        ServiceProcess doomed = startSecondStore();
        try {
            Set<Integer> doomedOwns = awaitSharedWith(survivor, all, doomed);
            // Users whose events the doomed store applies, and some whose events the survivor does.
            List<String> users = new ArrayList<>();
            while (users.size() < 20) {
                String user = HeraldStack.newUser("crash");
                boolean onDoomed = doomedOwns.contains(layout.partitionOf(user));
                if (onDoomed == users.size() < 15) {
                    users.add(user);
                }
            }
            try (SteadyLoad load = SteadyLoad.start(stack, users, Duration.ofMillis(50))) {
                // Killed once it is applying: the first user's inbox is filling.
                await().atMost(Duration.ofSeconds(30)).until(() -> stack.inbox(users.get(0), "?limit=200").get("items").size() >= 20);
                doomed.kill();
                int acceptedAtKill = load.accepted();
                long killedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).until(() -> partitionsOf(survivor).size() == partitions);
                long takenOver = System.nanoTime();

                doomed = startSecondStore();
                awaitSharedWith(survivor, all, doomed);
                load.stop();
                load.awaitEveryInbox(Duration.ofSeconds(60));
                System.out.printf("[store crash] killed after %d accepted; the survivor held every partition %d ms later;"
                        + " %d accepted in all, each stored once%n", acceptedAtKill, Duration.ofNanos(takenOver - killedAt).toMillis(),
                        load.accepted());
            }
        }
        finally {
            doomed.kill();
            // Back to one store in the group for the tests that follow.
            await().atMost(Duration.ofSeconds(60)).until(() -> partitionsOf(survivor).size() == partitions);
        }
    }

    private static ServiceProcess startSecondStore() {
        Map<String, Object> properties = new HashMap<>(HeraldStack.storeProperties());
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", SESSION_TIMEOUT_MS);
        properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        return ServiceProcess.start(NotificationStoreApplication.class, NotificationStoreApplication.CONFIG_NAME, properties);
    }

    /**
     * Waits until each store holds some of the partitions, and returns the second one's. (Both: in
     * the middle of a rebalance the survivor may hold none for a moment, and users on the survivor's
     * partitions must exist.)
     */
    private static Set<Integer> awaitSharedWith(MessageListenerContainer survivor, Set<Integer> all, ServiceProcess second) {
        return await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(second.isAlive()).as("the second store is running; see %s", second.log()).isTrue();
            Set<Integer> others = new HashSet<>(all);
            others.removeAll(partitionsOf(survivor));
            return others;
        }, others -> !others.isEmpty() && others.size() < all.size());
    }

    private static List<Integer> partitionsOf(MessageListenerContainer container) {
        return container.getAssignedPartitions().stream().map(TopicPartition::partition).toList();
    }
}
