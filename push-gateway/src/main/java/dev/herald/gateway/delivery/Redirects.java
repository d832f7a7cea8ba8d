package dev.herald.gateway.delivery;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.routing.GroupOwnership;
import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.frames.CloseCodes;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Moves the sessions of a revoked partition to its new owner. At revocation the new owner is not
 * known yet (the rebalance is still going on), so this polls the group until the partition has an
 * owner and then closes the sessions with 4001 naming it; if none shows up in time, with 1001, and
 * the clients ask {@code /v1/route} themselves. Either way they resume by cursor, so nothing is lost
 * while they wait.
 */
@Component
class Redirects implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Redirects.class);
    private static final long POLL_MILLIS = 250;

    private final GroupOwnership ownership;
    private final long waitMillis;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-gateway-redirects");
        thread.setDaemon(true);
        return thread;
    });

    Redirects(GroupOwnership ownership, GatewayProperties properties) {
        this.ownership = ownership;
        this.waitMillis = properties.assignmentWait().toMillis();
    }

    void moveAway(int partition, List<Subscriber> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        long deadline = System.currentTimeMillis() + waitMillis;
        scheduler.schedule(() -> attempt(partition, sessions, deadline), POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void attempt(int partition, List<Subscriber> sessions, long deadline) {
        Optional<String> owner;
        try {
            owner = ownership.refresh().ownerOf(partition);
        }
        catch (RuntimeException ex) {
            owner = Optional.empty();
        }
        if (owner.isPresent()) {
            String url = owner.get();
            log.info("Moving {} sessions of partition {} to {}", sessions.size(), partition, url);
            sessions.forEach(session -> session.close(CloseCodes.MOVED, url));
        }
        else if (System.currentTimeMillis() >= deadline) {
            log.info("Partition {} has no owner after the rebalance; closing its {} sessions with 1001", partition,
                    sessions.size());
            sessions.forEach(session -> session.close(CloseCodes.GOING_AWAY, "rebalancing"));
        }
        else {
            scheduler.schedule(() -> attempt(partition, sessions, deadline), POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
