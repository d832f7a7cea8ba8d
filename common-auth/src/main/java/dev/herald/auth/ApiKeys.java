package dev.herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys that services present as {@code Authorization: Bearer <key>}. Only SHA-256 digests
 * are configured and held (keys are 256-bit random values, so a plain digest suffices), and every
 * candidate is compared in constant time, so neither configuration files, memory dumps nor timing
 * reveal a key. Several keys may be valid at once (rotation); each has a name and scopes.
 */
public final class ApiKeys {

    /** The prefix of a configured key hash. */
    public static final String HASH_PREFIX = "sha256:";

    private final List<Key> keys;
    /**
     * Keys already verified, to their caller: a hit skips the SHA-256. Only valid keys enter, so it
     * holds at most one entry per configured key (misses are never cached: a stream of bad keys cannot
     * grow it, and each miss still pays the full digest and constant-time comparison with every key).
     * It holds presented keys in memory, as the requests carrying them do; nothing logs them.
     */
    private final Map<String, Caller> verified = new ConcurrentHashMap<>();

    public ApiKeys(List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key must be configured");
        }
        this.keys = List.copyOf(keys);
    }

    /** The names of the configured keys, which callers are known by (e.g. as a metric's {@code source}). */
    public List<String> names() {
        return keys.stream().map(Key::name).distinct().toList();
    }

    /** The caller whose key this is, or empty when {@code presented} is not a valid key. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        Caller known = verified.get(presented);
        if (known != null) {
            return Optional.of(known);
        }
        byte[] digest = sha256(presented);
        Key match = null;
        for (Key candidate : keys) {
            // No early exit: the time taken does not depend on which key matched.
            if (MessageDigest.isEqual(candidate.digest(), digest)) {
                match = candidate;
            }
        }
        if (match == null) {
            return Optional.empty();
        }
        Caller caller = new Caller(match.name(), match.scopes());
        if (verified.size() < keys.size()) {
            verified.put(presented, caller);
        }
        return Optional.of(caller);
    }

    /** The configuration form of {@code key}'s hash: {@code sha256:<64 hex digits>}. */
    public static String hash(String key) {
        return HASH_PREFIX + HexFormat.of().formatHex(sha256(key));
    }

    /** A new random key: 256 bits, URL-safe, recognisable by its {@code hk_} prefix. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "hk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /** A configured key: its name (the events' {@code source}), digest and scopes. */
    public record Key(String name, byte[] digest, Set<Scope> scopes) {

        /** From the configuration form {@code sha256:<hex>}; throws naming the key when malformed. */
        public static Key fromHash(String name, String hash, Set<Scope> scopes) {
            if (hash == null || !hash.startsWith(HASH_PREFIX) || hash.length() != HASH_PREFIX.length() + 64) {
                throw new IllegalArgumentException("the hash of API key '" + name + "' must look like sha256:<64 hex digits>"
                        + " (create one with ./herald new-key)");
            }
            try {
                return new Key(name, HexFormat.of().parseHex(hash.substring(HASH_PREFIX.length())), Set.copyOf(scopes));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("the hash of API key '" + name + "' is not hexadecimal", ex);
            }
        }
    }

    /** Who called, and what they may do. */
    public record Caller(String name, Set<Scope> scopes) {

        public boolean may(Scope scope) {
            return scopes.contains(scope);
        }
    }

    /** What an API key may do. */
    public enum Scope {
        /** Send notifications (producer-api). */
        SEND,
        /** Mint user tokens (producer-api). */
        TOKENS,
        /** Read and mark any user's inbox (notification-store's /v1/users/...). */
        READ
    }
}
