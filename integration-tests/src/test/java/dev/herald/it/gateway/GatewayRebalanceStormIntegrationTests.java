package dev.herald.it.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;


/**
 * A rebalance storm (issue 15's fault suite): for a minute, two churners each start a gateway,
 * let it take partitions for a few seconds and stop it again, so that the group rebalances every
 * few seconds, often while the last rebalance is still settling, while 200 users receive a steady
 * stream and keep following 1001/4001 and the route. Every user must still get every accepted
 * event exactly once and in order, without a resync.
 */
class GatewayRebalanceStormIntegrationTests {

    private static final int USERS = 200;
    private static final Duration STORM = Duration.ofSeconds(60);

    private final List<FollowingClient> clients = new ArrayList<>();
    private EventStream stream;

    @AfterEach
    void stopClients() {
        if (stream != null) {
            stream.stop();
        }
        clients.forEach(FollowingClient::stop);
        Gateways.awaitStable();
    }

    @Test
    void gatewaysJoiningAndLeavingForAMinuteLoseAndRepeatNothing() throws Exception {
        Gateways.shared();
        FollowingClient.startAll("storm", USERS, Gateways::running, clients);
        stream = EventStream.start(clients.stream().map(FollowingClient::user).toList(), 5, 20);

        AtomicInteger joins = new AtomicInteger();
        long endsAt = System.nanoTime() + STORM.toNanos();
        ExecutorService churners = Executors.newFixedThreadPool(2);
        List<Future<?>> storm = new ArrayList<>();
        for (int churner = 0; churner < 2; churner++) {
            long firstDelay = churner * 2_500L; // out of step, so that joins and leaves overlap
            storm.add(churners.submit(() -> {
                Thread.sleep(firstDelay);
                while (System.nanoTime() < endsAt) {
                    TestGateway extra = Gateways.startExtra();
                    joins.incrementAndGet();
                    try {
                        Thread.sleep(3_000);
                    }
                    finally {
                        extra.stop();
                    }
                    Thread.sleep(1_000);
                }
                return null;
            }));
        }
        for (Future<?> churner : storm) {
            churner.get(STORM.toSeconds() + 120, TimeUnit.SECONDS); // a failure to start or stop fails the test
        }
        churners.shutdown();
        Gateways.awaitStable();
        int postedAtCalm = stream.posted();
        await().atMost(Duration.ofSeconds(120)).until(() -> stream.posted() >= postedAtCalm + 500);
        stream.stop();

        Deliveries.assertEveryUserGotEveryEventOnceInOrder(clients, stream);
        int resumes = clients.stream().mapToInt(c -> c.welcomes() - 1).sum();
        System.out.printf("STORM: %d gateways joined and left within %d s; %d resumes by cursor (%d clients saw 4001, "
                + "%d saw 1001); %d events posted%n", joins.get(), STORM.toSeconds(), resumes,
                clients.stream().filter(c -> c.moved() > 0).count(), clients.stream().filter(c -> c.goingAway() > 0).count(),
                stream.posted());
        assertThat(joins.get()).as("gateways that joined and left").isGreaterThanOrEqualTo(6);
        assertThat(resumes).as("the storm moved sessions").isPositive();
    }
}
