package dev.herald.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The generator talks only to 127.0.0.0/8. Host names (e.g. {@code localhost} in the URLs the
 * gateways advertise) are resolved once and replaced by their IPv4 loopback address, so that no
 * request can leave the machine, nor go to ::1 where nothing may listen.
 */
final class Loopback {

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
}
