package dev.herald.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder that can be shut like a network partition: while shut, connections to its
 * port are refused and those that were open are reset; opened again, it accepts at once on the same
 * port. For tests that take a server away from its clients without stopping it.
 */
public final class TcpGate implements AutoCloseable {

    private final int port;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    /** A gate on {@code port} to {@code targetPort} (both on 127.0.0.1), shut until {@link #open()}. */
    public TcpGate(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
    }

    public int port() {
        return port;
    }

    /** Starts accepting (again) on the gate's port. */
    public synchronized void open() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = listening;
            daemon("tcp-gate-" + port, () -> accept(listening)).start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("could not open the gate on port " + port, ex);
        }
    }

    /** Refuses new connections and resets every open one; returns once both are so. */
    public synchronized void shut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    @Override
    public void close() {
        shut();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            }
            catch (IOException ex) {
                return; // shut
            }
            try {
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                if (listening.isClosed()) { // shut while connecting: this pair was not reset
                    reset(client);
                    reset(upstream);
                    return;
                }
                daemon("tcp-gate-" + port + "-in", () -> pump(client, upstream)).start();
                daemon("tcp-gate-" + port + "-out", () -> pump(upstream, client)).start();
            }
            catch (IOException ex) {
                reset(client); // the target is down: as it would answer itself
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
        catch (IOException ex) {
            // either side closed or was reset
        }
        finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        }
        catch (IOException ignored) {
            // already closed
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // closing is all that is wanted
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }
}
