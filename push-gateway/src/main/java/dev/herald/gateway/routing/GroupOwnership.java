package dev.herald.gateway.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Topics;
import dev.herald.schema.UserPartitioner;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Who owns which partition, read from Kafka itself: the members of group {@code herald-gateway},
 * their client ids (which carry their public URLs, see {@link GatewayMembers}) and their assigned
 * partitions. Every gateway reads the same coordinator, so every gateway gives the same answer.
 * Reads are cached for {@code routeCacheTtl}, and dropped whenever this gateway takes part in a
 * rebalance.
 */
@Component
public class GroupOwnership implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupOwnership.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final long ttlNanos;
    private volatile Snapshot snapshot;
    private volatile int partitionCount;

    private record Snapshot(RouteTable table, long readAtNanos) {
    }

    GroupOwnership(KafkaProperties kafka, GatewayProperties properties) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-gateway-routes");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        this.admin = Admin.create(config);
        this.ttlNanos = properties.routeCacheTtl().toNanos();
    }

    /** The partition of a user, from the real partition count of {@code herald.user-events}. */
    public int partitionOf(String userId) {
        return UserPartitioner.partitionOf(userId, partitionCount());
    }

    public int partitionCount() {
        // Fixed at topic creation, so one successful read is enough.
        if (partitionCount == 0) {
            try {
                partitionCount = admin.describeTopics(List.of(Topics.USER_EVENTS)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(Topics.USER_EVENTS).partitions().size();
            }
            catch (ExecutionException | TimeoutException ex) {
                throw new IllegalStateException("cannot read the partitions of " + Topics.USER_EVENTS, ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        return partitionCount;
    }

    /** The current routes, from the cache when fresh enough. */
    public RouteTable routes() {
        Snapshot current = snapshot;
        if (current != null && System.nanoTime() - current.readAtNanos() < ttlNanos) {
            return current.table();
        }
        return refresh();
    }

    /** Reads the group now, bypassing the cache. */
    public synchronized RouteTable refresh() {
        RouteTable table = read();
        snapshot = new Snapshot(table, System.nanoTime());
        return table;
    }

    /** Forgets the cached routes, e.g. because a rebalance has begun or ended. */
    public void invalidate() {
        snapshot = null;
    }

    private RouteTable read() {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Topics.GATEWAY_GROUP))
                    .describedGroups().get(Topics.GATEWAY_GROUP).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<RouteTable.Member> members = new ArrayList<>();
            for (MemberDescription member : group.members()) {
                List<Integer> partitions = member.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.USER_EVENTS)).map(TopicPartition::partition).toList();
                members.add(new RouteTable.Member(member.clientId(), partitions));
            }
            return RouteTable.of(group.groupState() == GroupState.STABLE, members);
        }
        catch (ExecutionException | TimeoutException ex) {
            log.warn("Cannot read the members of group {}: {}", Topics.GATEWAY_GROUP, ex.toString());
            return RouteTable.UNKNOWN;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return RouteTable.UNKNOWN;
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
