package dev.herald.producer.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import tools.jackson.databind.json.JsonMapper;

import dev.herald.schema.FieldError;
import dev.herald.support.ApiException;

/**
 * The Netty front's answers, byte for byte the shape Spring MVC gives: JSON bodies, and refusals as
 * the problem+json that {@code ProblemAdvice} renders (detail, instance, status, title, errors and
 * the exception's own members; {@code Retry-After}, {@code WWW-Authenticate: Bearer} on 401).
 */
final class Responses {

    /** Header names as Tomcat writes them (case does not matter in HTTP, but some clients compare it). */
    static final AsciiString CONTENT_TYPE = AsciiString.cached("Content-Type");
    static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");
    static final AsciiString RETRY_AFTER = AsciiString.cached("Retry-After");
    static final AsciiString WWW_AUTHENTICATE = AsciiString.cached("WWW-Authenticate");
    static final AsciiString DATE = AsciiString.cached("Date");
    static final AsciiString VARY = AsciiString.cached("Vary");
    static final AsciiString ACCESS_CONTROL_ALLOW_ORIGIN = AsciiString.cached("Access-Control-Allow-Origin");
    static final AsciiString ACCESS_CONTROL_EXPOSE_HEADERS = AsciiString.cached("Access-Control-Expose-Headers");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String APPLICATION_JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";

    private static long dateSecond;
    private static String date;

    private Responses() {
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
        return response(status, APPLICATION_JSON, JSON.writeValueAsBytes(body));
    }

    static FullHttpResponse problem(ApiException ex, String path) {
        Map<String, Object> problem = problemBody(ex.status().value(), ex.title(), ex.getMessage(), path);
        if (!ex.errors().isEmpty()) {
            List<Map<String, String>> errors = new ArrayList<>(ex.errors().size());
            for (FieldError error : ex.errors()) {
                errors.add(Map.of("field", error.field(), "message", error.message()));
            }
            problem.put("errors", errors);
        }
        problem.putAll(ex.properties());
        FullHttpResponse response = response(HttpResponseStatus.valueOf(ex.status().value()), PROBLEM_JSON,
                JSON.writeValueAsBytes(problem));
        if (ex.retryAfter() != null) {
            response.headers().set(RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfter().toSeconds())));
        }
        if (ex.status().value() == 401) {
            response.headers().set(WWW_AUTHENTICATE, "Bearer");
        }
        return response;
    }

    /** The members every problem has, in the order Spring's ProblemDetail writes them. */
    private static Map<String, Object> problemBody(int status, String title, String detail, String path) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("detail", detail);
        problem.put("instance", path);
        problem.put("status", status);
        problem.put("title", title);
        return problem;
    }

    /** What {@code ProblemAdvice} answers for anything unexpected (which is logged where it happened). */
    static FullHttpResponse internalError(String path) {
        Map<String, Object> problem = problemBody(500, "Internal error", "an unexpected error occurred; it has been logged", path);
        return response(HttpResponseStatus.INTERNAL_SERVER_ERROR, PROBLEM_JSON, JSON.writeValueAsBytes(problem));
    }

    /** The internal web server could not be reached (a problem of this service, not of the request). */
    static FullHttpResponse badGateway(String path) {
        Map<String, Object> problem = problemBody(502, "Bad gateway", "producer-api's internal web server did not answer; retry later", path);
        return response(HttpResponseStatus.BAD_GATEWAY, PROBLEM_JSON, JSON.writeValueAsBytes(problem));
    }

    /** Spring's answer to a cross-origin request from an origin it does not allow (no content type). */
    static FullHttpResponse invalidCors() {
        return response(HttpResponseStatus.FORBIDDEN, null, "Invalid CORS request".getBytes(StandardCharsets.UTF_8));
    }

    static FullHttpResponse plain(HttpResponseStatus status, String text) {
        return response(status, "text/plain;charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        if (contentType != null) {
            response.headers().set(CONTENT_TYPE, contentType);
        }
        response.headers().setInt(CONTENT_LENGTH, body.length);
        return response;
    }

    /** The Date header's value, formatted once a second (called on event loops only). */
    static synchronized String date() {
        long now = System.currentTimeMillis();
        long second = now / 1000;
        if (second != dateSecond || date == null) {
            dateSecond = second;
            date = DateFormatter.format(new Date(second * 1000));
        }
        return date;
    }
}
