package dev.herald.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Topics;
import dev.herald.support.TopicLayout;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Who owns which partition, read from Kafka itself: the members of group {@code herald-gateway},
 * their client ids (which carry their public URLs, see {@link GatewayMembers}) and their assigned
 * partitions. Every gateway reads the same coordinator, so every gateway gives the same answer.
 * Reads happen in the background, one at a time; {@link #cached} never waits for Kafka, so the
 * threads that move sessions along are never held up by it. A read is dropped whenever this
 * gateway takes part in a rebalance, including one that was under way when it began.
 */
@Component
public class GroupOwnership implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupOwnership.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final TopicLayout topic;
    private final long ttlNanos;
    private volatile Snapshot snapshot;
    /** Bumped by {@link #invalidate}: a read that began before it is not kept. */
    private final AtomicLong generation = new AtomicLong();
    private CompletableFuture<RouteTable> reading;
    /** The gateways in the group with an instance id, as last read (kept across rebalances: who is in is a fact). */
    private volatile List<Peer> peers = List.of();

    private record Snapshot(RouteTable table, long readAtNanos) {
    }

    /** A static member of the group that is a gateway: its {@code group.instance.id} and public URL. */
    record Peer(String instanceId, String publicUrl) {
    }

    GroupOwnership(KafkaProperties kafka, GatewayProperties properties, TopicLayout topic) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-gateway-routes");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        this.admin = Admin.create(config);
        this.topic = topic;
        this.ttlNanos = properties.routeCacheTtl().toNanos();
    }

    /**
     * The partition of a user, from the partition count of {@code herald.user-events} as last read.
     *
     * @throws IllegalStateException if the topic was never read and Kafka cannot say now
     */
    public int partitionOf(String userId) {
        return topic.partitionOf(userId);
    }

    /** The routes as last read ({@link RouteTable#UNKNOWN} if not since the last rebalance); never waits. */
    public RouteTable cached() {
        Snapshot current = snapshot;
        if (current == null || System.nanoTime() - current.readAtNanos() >= ttlNanos) {
            refreshIfOlderThan(Duration.ZERO);
        }
        return current == null ? RouteTable.UNKNOWN : current.table();
    }

    /** The current routes, waiting (up to the admin timeout) for a read when the cache is stale. */
    public RouteTable routes() {
        Snapshot current = snapshot;
        if (current != null && System.nanoTime() - current.readAtNanos() < ttlNanos) {
            return current.table();
        }
        try {
            return read().get(ADMIN_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException | TimeoutException ex) {
            return RouteTable.UNKNOWN;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return RouteTable.UNKNOWN;
        }
    }

    /** Starts a read in the background unless one is under way or the cache is younger than {@code age}. */
    public void refreshIfOlderThan(Duration age) {
        Snapshot current = snapshot;
        if (current == null || System.nanoTime() - current.readAtNanos() >= age.toNanos()) {
            read();
        }
    }

    /** Forgets the cached routes, e.g. because a rebalance has begun or ended. */
    public void invalidate() {
        generation.incrementAndGet();
        snapshot = null;
    }

    private synchronized CompletableFuture<RouteTable> read() {
        if (reading != null && !reading.isDone()) {
            return reading;
        }
        long startedIn = generation.get();
        long startedAt = System.nanoTime();
        CompletableFuture<RouteTable> result = new CompletableFuture<>();
        reading = result;
        admin.describeConsumerGroups(List.of(Topics.GATEWAY_GROUP)).describedGroups().get(Topics.GATEWAY_GROUP)
                .whenComplete((group, error) -> {
                    RouteTable table = error == null ? tableOf(group) : RouteTable.UNKNOWN;
                    if (error != null) {
                        log.warn("Cannot read the members of group {}: {}", Topics.GATEWAY_GROUP, error.toString());
                    }
                    else {
                        peers = peersOf(group);
                        if (generation.get() == startedIn) {
                            snapshot = new Snapshot(table, startedAt);
                        }
                    }
                    result.complete(table);
                });
        return result;
    }

    private static RouteTable tableOf(ConsumerGroupDescription group) {
        List<RouteTable.Member> members = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            List<Integer> partitions = member.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.USER_EVENTS)).map(TopicPartition::partition).toList();
            members.add(new RouteTable.Member(member.clientId(), partitions));
        }
        return RouteTable.of(group.groupState() == GroupState.STABLE, members);
    }

    private static List<Peer> peersOf(ConsumerGroupDescription group) {
        List<Peer> found = new ArrayList<>();
        for (MemberDescription member : group.members()) {
            String url = GatewayMembers.publicUrl(member.clientId()).orElse(null);
            if (url != null && member.groupInstanceId().isPresent()) {
                found.add(new Peer(member.groupInstanceId().get(), url));
            }
        }
        return List.copyOf(found);
    }

    /** The gateways that are static members of the group, as last read (see {@link #refreshIfOlderThan}). */
    List<Peer> peers() {
        return peers;
    }

    /**
     * Removes a static member from the group, so that the group rebalances now instead of after
     * the member's session timeout. Only for a member proven dead: a live one is fenced, rejoins and
     * takes part in another rebalance (see {@link PeerWatch}).
     */
    CompletableFuture<Void> removeMember(String instanceId) {
        CompletableFuture<Void> removed = new CompletableFuture<>();
        admin.removeMembersFromConsumerGroup(Topics.GATEWAY_GROUP,
                new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(instanceId)))).all()
                .whenComplete((ignored, error) -> {
                    invalidate();
                    if (error == null) {
                        removed.complete(null);
                    }
                    else {
                        removed.completeExceptionally(error);
                    }
                });
        return removed;
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
