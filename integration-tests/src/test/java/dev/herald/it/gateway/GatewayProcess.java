package dev.herald.it.gateway;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.herald.gateway.PushGatewayApplication;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Ports;
import dev.herald.it.support.ServiceProcess;

/**
 * A push gateway in a process of its own ({@link ServiceProcess}), a member of the same group as the in-JVM {@link TestGateway}s: for tests that kill a
 * gateway as a crash would ({@link #kill()}, SIGKILL), which an in-JVM context cannot imitate.
 */
final class GatewayProcess implements AutoCloseable {

    private final ServiceProcess process;
    private final String baseUrl;
    private final String wsUrl;

    private GatewayProcess(ServiceProcess process, String baseUrl, String wsUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.wsUrl = wsUrl;
    }

    /** Starts the gateway and waits until it is ready (in the group, its partitions warm). */
    static GatewayProcess start(Map<String, Object> overrides) {
        List<Integer> ports = Ports.free(2);
        Map<String, Object> settings = new HashMap<>(TestGateway.TEST_SETTINGS);
        settings.put("server.port", ports.get(0));
        settings.put("herald.gateway.websocket-port", ports.get(1));
        settings.putAll(overrides);
        GatewayProcess gateway = new GatewayProcess(
                ServiceProcess.start(PushGatewayApplication.class, PushGatewayApplication.CONFIG_NAME, settings),
                "http://127.0.0.1:" + ports.get(0), "ws://127.0.0.1:" + ports.get(1) + "/ws");
        gateway.awaitReady();
        return gateway;
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway process exited; see " + process.log());
            }
            try {
                return Http.get(baseUrl + "/actuator/health/readiness", null).status() == 200;
            }
            catch (RuntimeException ex) {
                return false;
            }
        });
    }

    /** SIGKILL: no session is closed, the group is not left; the kernel resets the sockets. */
    void kill() {
        process.kill();
    }

    String baseUrl() {
        return baseUrl;
    }

    String wsUrl() {
        return wsUrl;
    }

    Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
