package dev.herald.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.herald.schema.FieldError;

import org.springframework.http.HttpStatus;

/**
 * A refusal that the client should read: rendered by {@link ProblemAdvice} as RFC 9457
 * problem+json with the status, a title, a detail and, for bad input, each bad field.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<FieldError> errors;
    private final Duration retryAfter;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    private ApiException(HttpStatus status, String title, String detail, List<FieldError> errors, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(List<FieldError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request",
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid",
                errors, null);
    }

    public static ApiException badRequest(String field, String message) {
        return badRequest(List.of(new FieldError(field, message)));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", detail, List.of(), null);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail, List.of(), null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", detail, List.of(), null);
    }

    public static ApiException payloadTooLarge(long limitBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                "the body must be at most " + limitBytes + " bytes", List.of(), null);
    }

    public static ApiException notImplemented(String detail) {
        return new ApiException(HttpStatus.NOT_IMPLEMENTED, "Not available here", detail, List.of(), null);
    }

    public static ApiException tooManyRequests(String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail, List.of(), retryAfter);
    }

    public static ApiException unavailable(String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, List.of(), retryAfter);
    }

    /** Adds a member to the problem body, e.g. what to send again on a retry. */
    public ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** For 503s: when the client may retry; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
