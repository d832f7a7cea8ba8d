package dev.herald.store.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The browser SDK's files as the browser-sdk module's build put them on the classpath:
 * {@code herald-sdk/index.json} ({@code version}, {@code files}) and {@code herald-sdk/<version>/<file>}.
 * They are read once, into memory (some 130 KB), each with a strong ETag of its content: a request
 * can only name one of them, so no path can reach anything else.
 */
final class SdkFiles {

    static final String LOCATION = "herald-sdk/";

    /** A file name as the build writes them: no folder, no leading dot. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.js");

    record SdkFile(String name, byte[] content, String etag) {
    }

    private final String version;
    private final Map<String, SdkFile> files;

    private SdkFiles(String version, Map<String, SdkFile> files) {
        this.version = version;
        this.files = files;
    }

    /** The SDK on {@code classLoader}'s classpath; empty if this build holds none (-Dnpm.skip). */
    static Optional<SdkFiles> load(ClassLoader classLoader) {
        try (InputStream index = classLoader.getResourceAsStream(LOCATION + "index.json")) {
            if (index == null) {
                return Optional.empty();
            }
            JsonNode json = JsonMapper.builder().build().readTree(index);
            String version = json.get("version").asString();
            Map<String, SdkFile> files = new LinkedHashMap<>();
            for (JsonNode file : json.get("files")) {
                String name = file.asString();
                if (!FILE_NAME.matcher(name).matches()) {
                    throw new IllegalStateException(LOCATION + "index.json lists an unexpected file name: " + name);
                }
                try (InputStream content = classLoader.getResourceAsStream(LOCATION + version + "/" + name)) {
                    if (content == null) {
                        throw new IllegalStateException(LOCATION + "index.json lists " + name + ", which is not on the classpath");
                    }
                    byte[] bytes = content.readAllBytes();
                    files.put(name, new SdkFile(name, bytes, etag(bytes)));
                }
            }
            return Optional.of(new SdkFiles(version, Map.copyOf(files)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the browser SDK from the classpath", ex);
        }
    }

    static SdkFiles of(String version, Map<String, byte[]> contents) {
        Map<String, SdkFile> files = new LinkedHashMap<>();
        contents.forEach((name, bytes) -> files.put(name, new SdkFile(name, bytes, etag(bytes))));
        return new SdkFiles(version, Map.copyOf(files));
    }

    String version() {
        return version;
    }

    List<String> names() {
        return files.keySet().stream().sorted().toList();
    }

    Optional<SdkFile> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** A strong validator: the first 128 bits of the content's SHA-256, base64url. */
    static String etag(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
