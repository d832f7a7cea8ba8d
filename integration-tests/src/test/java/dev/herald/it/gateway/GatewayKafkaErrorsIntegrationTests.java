package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.frames.ServerFrame;

/**
 * A Kafka call that fails while partitions are assigned does not stop a gateway: the consumer's
 * rebalance callbacks call nothing that can fail, and its own calls carry their own timeouts and
 * are retried. Before, an exception there escaped {@code poll()} and the gateway closed every
 * session and never consumed again.
 */
class GatewayKafkaErrorsIntegrationTests {

    private final HeraldStack stack = HeraldStack.get();

    @Test
    void aGatewayWhoseDefaultKafkaTimeoutIsTooShortForAnyCallStillTakesAndServesItsPartitions() {
        Gateways.shared();
        // Every Kafka call left to the default API timeout now fails at once with a TimeoutException.
        TestGateway impatient = Gateways.startExtra(Map.of("spring.kafka.consumer.properties.default.api.timeout.ms", "1"));
        try {
            Gateways.awaitStable();
            int partition = impatient.ownedPartitions().iterator().next();
            String user = Gateways.userOnPartition("kerr", partition);
            WsClient client = WsClient.open(impatient.wsUrl(), stack.tokenFor(user), null);
            client.awaitFrame(ServerFrame.Welcome.class);

            Notifications.Accepted sent = Notifications.post(user, "served despite the timeouts");

            assertThat(client.awaitNotifications(1)).extracting(n -> n.event().eventId()).containsExactly(sent.eventId());
            await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(impatient.baseUrl() + "/actuator/health/readiness",
                    null).status() == 200);
            client.close();
        }
        finally {
            impatient.stop();
            Gateways.awaitStable();
        }
    }
}
