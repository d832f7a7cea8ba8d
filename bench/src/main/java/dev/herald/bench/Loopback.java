package dev.herald.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The generator talks only to 127.0.0.0/8. Host names (e.g. {@code localhost} in the URLs the
 * gateways advertise) are resolved once and replaced by their IPv4 loopback address, so that no
 * request can leave the machine, nor go to ::1 where nothing may listen.
 *
 * <p>Sessions also leave from several source addresses ({@link #source(int)}): a socket bound to one
 * address before it connects takes an ephemeral port of its own (about 28,000 per address here), and
 * other processes on the machine use 127.0.0.1's, so spreading keeps thousands of sessions well clear
 * of that limit.
 */
final class Loopback {

    /** Source addresses 127.0.1.1 .. 127.0.1.SOURCES; all of 127.0.0.0/8 is local on Linux. */
    static final int SOURCES = 8;

    private Loopback() {
    }

    static void requireLoopback(String url) {
        toLoopback(URI.create(url));
    }

    static URI toLoopback(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + uri);
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 127) {
                    return new URI(uri.getScheme(), uri.getUserInfo(), address.getHostAddress(), uri.getPort(),
                            uri.getPath(), uri.getQuery(), uri.getFragment());
                }
            }
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException("cannot resolve " + host + " in " + uri, ex);
        }
        catch (java.net.URISyntaxException ex) {
            throw new IllegalArgumentException(uri + " is not a URL", ex);
        }
        throw new IllegalArgumentException(uri + " is not on 127.0.0.0/8: the benchmark talks only to loopback addresses");
    }

    static URI toLoopback(String url) {
        return toLoopback(URI.create(url));
    }

    /** The socket address of a loopback URL, with the scheme's default port when it names none. */
    static InetSocketAddress target(URI loopbackUri) {
        int port = loopbackUri.getPort();
        if (port < 0) {
            port = switch (loopbackUri.getScheme()) {
                case "https", "wss" -> 443;
                default -> 80;
            };
        }
        return new InetSocketAddress(loopbackUri.getHost(), port);
    }

    /** The source address of connection {@code n}: round robin over {@link #SOURCES} addresses, any free port. */
    static InetSocketAddress source(int n) {
        int host = 1 + Math.floorMod(n, SOURCES);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) host}), 0);
        }
        catch (UnknownHostException ex) {
            throw new IllegalStateException(ex); // a literal address of the right length cannot fail
        }
    }
}
