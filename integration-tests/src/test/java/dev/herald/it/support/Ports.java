package dev.herald.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports for the processes a test starts itself. */
public final class Ports {

    private Ports() {
    }

    /** A port nothing listens on now (the OS's choice, released at once). */
    public static int free() {
        return free(1).get(0);
    }

    /**
     * {@code count} distinct ports nothing listens on now. All are held until the last is chosen:
     * released one by one, the OS may hand out the same port twice (seen: Kafka and producer-api
     * given one port in the same test).
     */
    public static List<Integer> free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            held.forEach(Ports::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // a socket that cannot close still freed nothing we need
        }
    }
}
