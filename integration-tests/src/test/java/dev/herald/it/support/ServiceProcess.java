package dev.herald.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Herald service in a JVM of its own, from this test JVM's classpath and with the arguments the
 * in-JVM services get ({@link HeraldStack#arguments}): for tests that kill a service as a crash or
 * the OOM killer would (SIGKILL), which a Spring context in this JVM cannot undergo.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code application}'s main with the test defaults plus {@code properties}; its output goes to a temporary log. */
    public static ServiceProcess start(Class<?> application, String configName, Map<String, Object> properties) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), application.getName()));
        command.addAll(List.of(HeraldStack.arguments(configName, properties)));
        try {
            Path log = Files.createTempFile("herald-" + configName + "-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            return new ServiceProcess(process, log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye to the group; returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        process.onExit().join();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where its output goes, for failure messages. */
    public Path log() {
        return log;
    }

    @Override
    public void close() {
        kill();
    }
}
