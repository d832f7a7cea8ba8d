package dev.herald.it.gateway;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.routing.RouteTable;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.schema.UserPartitioner;

/**
 * The gateways of this test JVM. Two shared ones serve most tests (started once, replaced if a
 * test stopped one); tests that change the group start their own with {@link #startExtra()}.
 * All of them are members of the one group {@code herald-gateway}, so a test that adds or stops a
 * gateway waits with {@link #awaitStable()} until ownership has settled.
 */
public final class Gateways {

    public static final int PARTITIONS = 12;

    private static final List<TestGateway> shared = new ArrayList<>();
    private static final List<TestGateway> all = new CopyOnWriteArrayList<>();

    private Gateways() {
    }

    /** Two running gateways that own every partition between them. */
    public static synchronized List<TestGateway> shared() {
        shared.removeIf(gateway -> !gateway.isRunning());
        while (shared.size() < 2) {
            shared.add(startExtra());
        }
        awaitStable();
        return List.copyOf(shared);
    }

    public static TestGateway startExtra() {
        TestGateway gateway = TestGateway.start();
        all.add(gateway);
        return gateway;
    }

    public static TestGateway startExtra(Map<String, Object> overrides) {
        TestGateway gateway = TestGateway.start(overrides);
        all.add(gateway);
        return gateway;
    }

    public static List<TestGateway> running() {
        return all.stream().filter(TestGateway::isRunning).toList();
    }

    /**
     * Waits until the group is stable, every partition has exactly one owner, the owners are the
     * running gateways, and each one's own view of what it owns agrees with the group's.
     */
    public static void awaitStable() {
        awaitStable(Set.of());
    }

    /**
     * As {@link #awaitStable()}, with gateways outside this JVM ({@code externalUrls}) among the
     * owners: each must own a partition too.
     */
    public static void awaitStable(Set<String> externalUrls) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> isStable(externalUrls));
    }

    private static boolean isStable(Set<String> externalUrls) {
        List<TestGateway> running = running();
        if (running.isEmpty()) {
            return false;
        }
        GroupOwnership ownership = running.get(0).bean(GroupOwnership.class);
        ownership.invalidate(); // a read of the group now, not a cached one
        RouteTable routes = ownership.routes();
        if (!routes.stable() || routes.owners().size() != PARTITIONS) {
            return false;
        }
        Set<String> urls = new HashSet<>();
        for (TestGateway gateway : running) {
            urls.add(gateway.wsUrl());
            Set<Integer> expected = new HashSet<>();
            routes.owners().forEach((partition, url) -> {
                if (url.equals(gateway.wsUrl())) {
                    expected.add(partition);
                }
            });
            if (expected.isEmpty() || !expected.equals(gateway.ownedPartitions())) {
                return false;
            }
        }
        if (!routes.owners().values().containsAll(externalUrls)) {
            return false;
        }
        urls.addAll(externalUrls);
        return urls.containsAll(routes.owners().values());
    }

    /** The gateway whose URL is {@code url}. */
    public static TestGateway byUrl(String url) {
        return running().stream().filter(gateway -> gateway.wsUrl().equals(url)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running gateway at " + url));
    }

    /** The running gateway that owns the user's partition now. */
    public static TestGateway ownerOf(String user) {
        int partition = UserPartitioner.partitionOf(user, PARTITIONS);
        return running().stream().filter(gateway -> gateway.ownedPartitions().contains(partition)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no gateway owns partition " + partition));
    }

    /** A running gateway that does not own the user's partition. */
    public static TestGateway notOwnerOf(String user) {
        TestGateway owner = ownerOf(user);
        return running().stream().filter(gateway -> gateway != owner).findFirst().orElseThrow();
    }

    /** A new user id whose partition is {@code partition}. */
    public static String userOnPartition(String prefix, int partition) {
        while (true) {
            String user = HeraldStack.newUser(prefix);
            if (UserPartitioner.partitionOf(user, PARTITIONS) == partition) {
                return user;
            }
        }
    }

    /** {@code GET /v1/route} at one gateway. */
    public static Http.Response route(TestGateway gateway, String user) {
        return Http.get(gateway.baseUrl() + "/v1/route", HeraldStack.get().tokenFor(user));
    }
}
