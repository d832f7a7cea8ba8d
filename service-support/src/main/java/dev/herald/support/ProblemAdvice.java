package dev.herald.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.schema.FieldError;
import dev.herald.schema.InvalidEventException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of a Herald service as RFC 9457 problem+json. Bad input lists each field in
 * {@code errors}; nothing the client did ever becomes a 500.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApi(ApiException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        problem.setTitle(ex.title());
        if (!ex.errors().isEmpty()) {
            problem.setProperty("errors", fieldErrors(ex.errors()));
        }
        ex.properties().forEach(problem::setProperty);
        HttpHeaders headers = new HttpHeaders();
        if (ex.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfter().toSeconds())));
        }
        if (ex.status() == HttpStatus.UNAUTHORIZED) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return ResponseEntity.status(ex.status()).headers(headers).body(problem);
    }

    @ExceptionHandler(InvalidEventException.class)
    ResponseEntity<ProblemDetail> handleInvalidEvent(InvalidEventException ex) {
        return handleApi(ApiException.badRequest(ex.errors()));
    }

    /**
     * The database is unreachable, or too busy to lend a connection in time: a condition that
     * passes, so 503 with Retry-After, as for Kafka, and not a 500. (The store waits out the same
     * outage on its consumers' side, retrying, and catches up when it ends.)
     */
    @ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class })
    ResponseEntity<ProblemDetail> handleDatabaseUnavailable(Exception ex) {
        log.warn("The database is unavailable: {}", NestedExceptionUtils.getMostSpecificCause(ex).getMessage());
        return handleApi(ApiException.unavailable("the database is not reachable right now; retry later", DATABASE_RETRY_AFTER));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
        log.error("Unexpected error", ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "an unexpected error occurred; it has been logged");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    private static List<Map<String, String>> fieldErrors(List<FieldError> errors) {
        return errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList();
    }
}
