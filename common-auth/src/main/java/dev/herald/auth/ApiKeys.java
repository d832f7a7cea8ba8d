package dev.herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys that services present as {@code Authorization: Bearer <key>}. Only SHA-256 digests
 * are held, and every candidate is compared in constant time, so neither memory dumps nor timing
 * reveal a key. Several keys may be valid at once (rotation).
 */
public final class ApiKeys {

    private final List<Map.Entry<String, byte[]>> digestsByName;

    /** @param keysByName the caller's name (it becomes the event's {@code source}) to its secret key */
    public ApiKeys(Map<String, String> keysByName) {
        if (keysByName.isEmpty()) {
            throw new IllegalArgumentException("at least one API key must be configured");
        }
        this.digestsByName = keysByName.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), sha256(e.getValue())))
                .toList();
    }

    /** The name of the key, or empty when {@code presented} is not a valid key. */
    public Optional<String> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (Map.Entry<String, byte[]> candidate : digestsByName) {
            // No early exit: the time taken does not depend on which key matched.
            if (MessageDigest.isEqual(candidate.getValue(), digest)) {
                match = candidate.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}
