package dev.herald.it.gateway;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.herald.gateway.PushGatewayApplication;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.it.support.Ports;

/**
 * A push gateway in a process of its own (the test classpath, {@link PushGatewayApplication}'s
 * main), a member of the same group as the in-JVM {@link TestGateway}s: for tests that kill a
 * gateway as a crash would ({@link #kill()}, SIGKILL), which an in-JVM context cannot imitate.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;
    private final String wsUrl;
    private final Path log;

    private GatewayProcess(Process process, String baseUrl, String wsUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.wsUrl = wsUrl;
        this.log = log;
    }

    /** Starts the gateway and waits until it is ready (in the group, its partitions warm). */
    static GatewayProcess start(Map<String, Object> overrides) {
        List<Integer> ports = Ports.free(2);
        Map<String, Object> settings = new HashMap<>(TestGateway.TEST_SETTINGS);
        settings.put("server.port", ports.get(0));
        settings.put("herald.gateway.websocket-port", ports.get(1));
        settings.putAll(overrides);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PushGatewayApplication.class.getName()));
        command.addAll(List.of(HeraldStack.arguments(PushGatewayApplication.CONFIG_NAME, settings)));
        try {
            Path log = Files.createTempFile("herald-gateway-process", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            GatewayProcess gateway = new GatewayProcess(process, "http://127.0.0.1:" + ports.get(0),
                    "ws://127.0.0.1:" + ports.get(1) + "/ws", log);
            gateway.awaitReady();
            return gateway;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway process exited; see " + log);
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
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    String wsUrl() {
        return wsUrl;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
