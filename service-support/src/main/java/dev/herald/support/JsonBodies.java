package dev.herald.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

/**
 * Reads a JSON request body under limits: 413 past the size limit (checked from Content-Length
 * before reading, and while reading for chunked bodies), 400 past the nesting limit or for
 * malformed JSON (naming the position).
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /** The default depth limit of request bodies. */
    public static final int DEFAULT_MAX_DEPTH = 32;

    private static final Map<Integer, JsonMapper> MAPPERS_BY_DEPTH = new ConcurrentHashMap<>();

    public static JsonNode read(HttpServletRequest request, DataSize limit) throws IOException {
        return read(request, limit, DEFAULT_MAX_DEPTH);
    }

    /** Reads a body of at most {@code limit} bytes and {@code maxDepth} levels of nesting. */
    public static JsonNode read(HttpServletRequest request, DataSize limit, int maxDepth) throws IOException {
        long max = limit.toBytes();
        if (request.getContentLengthLong() > max) {
            throw ApiException.payloadTooLarge(max);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (body.length > max) {
            throw ApiException.payloadTooLarge(max);
        }
        return parse(body, maxDepth);
    }

    /**
     * Parses a body already read within the size limit (e.g. by a Netty server): 400 when it is
     * empty, nested deeper than {@code maxDepth} or malformed, as {@link #read} answers.
     */
    public static JsonNode parse(byte[] body, int maxDepth) {
        if (body.length == 0) {
            throw ApiException.badRequest("$", "a JSON body is required");
        }
        try {
            return MAPPERS_BY_DEPTH.computeIfAbsent(maxDepth, JsonBodies::mapper).readTree(body);
        }
        catch (StreamConstraintsException ex) {
            throw ApiException.badRequest("$", "JSON nested deeper than " + maxDepth + " levels");
        }
        catch (JacksonException ex) {
            throw ApiException.badRequest("$", "malformed JSON: " + ex.getOriginalMessage());
        }
    }

    private static JsonMapper mapper(int maxDepth) {
        return JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build()).build();
    }
}
