package dev.herald.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka broker (KRaft, broker and controller in one) in a process of its own, from the Kafka jars
 * on the test classpath, with its data in a folder that survives {@link #kill()} and
 * {@link #start()}: for tests that take Kafka away and bring the same cluster back. Started
 * {@linkplain #startNewBehindGate() behind a gate}, it can also be cut off from its clients while it
 * runs ({@link #disconnect()}) and be back at once ({@link #reconnect()}).
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path dir;
    private final Path config;
    private final int port;
    private final TcpGate gate;
    private Process process;

    private KafkaProcess(Path dir, int port, int controllerPort, TcpGate gate) throws IOException {
        this.dir = dir;
        this.port = port;
        this.gate = gate;
        this.config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                // Behind a gate, clients learn the gate's port from the broker's metadata and never
                // reach the broker but through it.
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + (gate != null ? gate.port() : port),
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false") + "\n");
        run(List.of("kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()), "format");
    }

    /** Formats a new single-node cluster in a temporary folder and starts it. */
    public static KafkaProcess startNew() {
        return startNew(false);
    }

    /** Formats a new single-node cluster and starts it, with its clients reaching it through a {@link TcpGate}. */
    public static KafkaProcess startNewBehindGate() {
        return startNew(true);
    }

    private static KafkaProcess startNew(boolean gated) {
        try {
            List<Integer> ports = Ports.free(3);
            TcpGate gate = gated ? new TcpGate(ports.get(2), ports.get(0)) : null;
            KafkaProcess kafka = new KafkaProcess(Files.createTempDirectory("herald-kafka"), ports.get(0), ports.get(1), gate);
            if (gate != null) {
                gate.open();
            }
            kafka.start();
            return kafka;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + (gate != null ? gate.port() : port);
    }

    /**
     * Cuts every client off while the broker goes on running, as a network partition would: new
     * connections are refused and open ones reset. Only for a broker started behind a gate.
     */
    public void disconnect() {
        requireGate().shut();
    }

    /** Lets clients reach the broker again, at once. */
    public void reconnect() {
        requireGate().open();
    }

    private TcpGate requireGate() {
        if (gate == null) {
            throw new IllegalStateException("this broker was not started behind a gate (startNewBehindGate)");
        }
        return gate;
    }

    /** Starts the broker (again), keeping its data, and waits until it accepts connections. */
    public void start() {
        process = launch(List.of("kafka.Kafka", config.toString()), "broker");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka process exited; see " + dir.resolve("broker.log"));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            }
            catch (IOException ex) {
                return false;
            }
        });
    }

    /** Kills the broker at once, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
        if (gate != null) {
            gate.close();
        }
    }

    private void run(List<String> mainAndArgs, String name) {
        Process format = launch(mainAndArgs, name);
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IllegalStateException("Kafka " + name + " failed; see " + dir.resolve(name + ".log"));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private Process launch(List<String> mainAndArgs, String name) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        try {
            Process started = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
            return started;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
