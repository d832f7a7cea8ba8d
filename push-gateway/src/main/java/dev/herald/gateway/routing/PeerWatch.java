package dev.herald.gateway.routing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.gateway.system.GatewayProperties;
import dev.herald.schema.Topics;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Notices a gateway that crashed, so that its partitions move in about a second rather than after
 * the group's session timeout. Every {@code peer-probe-interval} this gateway opens (and at once
 * closes) a TCP connection to the WebSocket port of every other gateway in the group. A port that
 * accepted before and now refuses twice, {@code peer-probe-confirm} apart, is proof that nothing
 * listens there any more: a gateway binds its port before it joins the group and leaves the group
 * before it unbinds, so a member whose port refuses has died. That member is removed from the
 * group ({@link GroupOwnership#removeMember}), which rebalances at once. Meanwhile, from the first
 * refusal, {@code /v1/route} answers 503 for that member's partitions ({@link #suspects}) instead
 * of sending clients to a dead address.
 *
 * <p>What is not proof is not acted on: a timeout (a host that is gone, or a network in between,
 * can also just be slow), an unknown host, or a port that never accepted (e.g. a public URL that
 * only outside clients can reach, where every probe would refuse): those members are left to the
 * session timeout. Several survivors may remove the same member; the second removal finds it gone.
 *
 * <p>Should a live gateway ever be removed all the same, nothing is lost or shown twice: its next
 * heartbeat is refused, its consumer reports the partitions lost (revoked: its sessions get no more
 * events and are told to move once the group names the new owner) and rejoins under the same
 * instance id. Until then two gateways may read the partition, but each session is fed by one of
 * them only, from the log in order, and a session that moves resumes by cursor on the new owner.
 */
@Component
class PeerWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeerWatch.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 500;

    enum Probe {
        ACCEPTED, REFUSED, UNKNOWN
    }

    private final GroupOwnership ownership;
    private final LocalGateway local;
    private final GatewayProperties properties;
    private final Counter removed;
    /** Instance ids whose port accepted a probe: only these can be proven dead. Probe thread only. */
    private final Set<String> seenAlive = new HashSet<>();
    /** Public URLs whose port refused the last probe. */
    private final Set<String> suspects = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService prober;

    PeerWatch(GroupOwnership ownership, LocalGateway local, GatewayProperties properties, MeterRegistry meters) {
        this.ownership = ownership;
        this.local = local;
        this.properties = properties;
        this.removed = Counter.builder("herald.gateway.peers.removed")
                .description("gateways this one removed from the group because their port refused connections").register(meters);
    }

    /** Whether the gateway at {@code publicUrl} refused the last probe: do not send clients there. */
    boolean suspects(String publicUrl) {
        return suspects.contains(publicUrl);
    }

    @Override
    public synchronized void start() {
        if (!properties.removesDeadPeers() || prober != null) {
            return;
        }
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-gateway-peer-watch");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.peerProbeInterval().toMillis();
        prober.scheduleWithFixedDelay(this::probeAll, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (prober != null) {
            prober.shutdownNow();
            prober = null;
        }
        suspects.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return prober != null;
    }

    private void probeAll() {
        try {
            ownership.refreshIfOlderThan(properties.peerProbeInterval());
            List<GroupOwnership.Peer> peers = ownership.peers();
            Set<String> members = new HashSet<>();
            Set<String> urls = new HashSet<>();
            for (GroupOwnership.Peer peer : peers) {
                members.add(peer.instanceId());
                urls.add(peer.publicUrl());
                if (peer.instanceId().equals(local.instanceId())) {
                    continue;
                }
                Probe probe = probe(peer.publicUrl());
                if (probe == Probe.ACCEPTED) {
                    seenAlive.add(peer.instanceId());
                    suspects.remove(peer.publicUrl());
                }
                else if (probe == Probe.REFUSED && seenAlive.contains(peer.instanceId())
                        && suspects.add(peer.publicUrl())) {
                    log.info("Gateway {} refused a connection; probing again in {} ms", peer.publicUrl(),
                            properties.peerProbeConfirm().toMillis());
                    // A gateway that stopped on purpose has left the group: a fresh read says so before the confirmation.
                    ownership.refreshIfOlderThan(Duration.ZERO);
                    prober.schedule(() -> confirm(peer), properties.peerProbeConfirm().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            seenAlive.retainAll(members);
            suspects.retainAll(urls);
        }
        catch (RuntimeException ex) {
            log.warn("Probing the other gateways failed: {}", ex.toString());
        }
    }

    private void confirm(GroupOwnership.Peer peer) {
        Probe probe = probe(peer.publicUrl());
        if (probe != Probe.REFUSED) {
            suspects.remove(peer.publicUrl());
            log.info("Gateway {} answers again ({})", peer.publicUrl(), probe);
            return;
        }
        // Refused twice: it is dead, or it stopped and left; never act on this instance id again (a restarted
        // gateway has a new one).
        seenAlive.remove(peer.instanceId());
        if (!ownership.peers().contains(peer)) {
            log.info("Gateway {} (member {}) has left group {}", peer.publicUrl(), peer.instanceId(), Topics.GATEWAY_GROUP);
            return;
        }
        log.warn("Gateway {} (member {}) refused connections twice: removing it from group {}", peer.publicUrl(),
                peer.instanceId(), Topics.GATEWAY_GROUP);
        ownership.removeMember(peer.instanceId()).whenComplete((ignored, error) -> {
            if (error == null) {
                removed.increment();
                log.warn("Removed gateway {} (member {}) from group {}; its partitions move now", peer.publicUrl(),
                        peer.instanceId(), Topics.GATEWAY_GROUP);
            }
            else if (causedBy(error, UnknownMemberIdException.class)) {
                log.info("Gateway {} (member {}) had left group {} already", peer.publicUrl(), peer.instanceId(),
                        Topics.GATEWAY_GROUP);
            }
            else {
                // Not removed: the session timeout will move its partitions, as without this watch.
                log.warn("Could not remove gateway {} (member {}) from group {}: {}", peer.publicUrl(), peer.instanceId(),
                        Topics.GATEWAY_GROUP, error.toString());
            }
        });
    }

    /** One TCP connection to the host and port of a public URL, closed at once. */
    static Probe probe(String publicUrl) {
        InetSocketAddress address;
        try {
            URI uri = URI.create(publicUrl);
            int port = uri.getPort() != -1 ? uri.getPort() : "wss".equals(uri.getScheme()) ? 443 : 80;
            address = new InetSocketAddress(uri.getHost(), port);
        }
        catch (IllegalArgumentException ex) {
            return Probe.UNKNOWN;
        }
        if (address.isUnresolved()) {
            return Probe.UNKNOWN;
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return Probe.ACCEPTED;
        }
        catch (ConnectException ex) {
            // Refused (a reset answer to the SYN): the only failure that proves nothing listens.
            return ex.getMessage() != null && ex.getMessage().contains("refused") ? Probe.REFUSED : Probe.UNKNOWN;
        }
        catch (IOException ex) {
            return Probe.UNKNOWN;
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
