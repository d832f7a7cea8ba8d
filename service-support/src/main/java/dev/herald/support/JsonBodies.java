package dev.herald.support;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.herald.schema.EnvelopeCodec;

import org.springframework.util.unit.DataSize;

/**
 * Reads a JSON request body under a size limit: 413 past the limit (checked from Content-Length
 * before reading, and while reading for chunked bodies), 400 naming the position of malformed JSON.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static JsonNode read(HttpServletRequest request, DataSize limit) throws IOException {
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
        if (body.length == 0) {
            throw ApiException.badRequest("$", "a JSON body is required");
        }
        try {
            return EnvelopeCodec.mapper().readTree(body);
        }
        catch (JacksonException ex) {
            throw ApiException.badRequest("$", "malformed JSON: " + ex.getOriginalMessage());
        }
    }
}
