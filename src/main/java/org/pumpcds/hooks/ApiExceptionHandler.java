package org.pumpcds.hooks;

import java.util.Arrays;
import java.util.List;
import org.pumpcds.orders.InvalidOrderException;
import org.pumpcds.prefetch.InvalidPrefetchException;
import org.pumpcds.prefetch.PrefetchUnavailableException;
import org.pumpcds.feedback.RejectedValueException;
import org.pumpcds.feedback.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Maps every failure to a status and an OperationOutcome body that says what is wrong: 400 for a bad request,
 * 404 for an unknown service or path, 405/415 for the wrong method or content type, 412 for unobtainable
 * data. Never a stack trace in a body; for unexpected failures the log gets the exception type and frames
 * but not its message, which could quote request data.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(CdsRequestException.class)
    ResponseEntity<Object> refused(CdsRequestException e) {
        log.info("refused status={} at {}", e.status().value(),
                e.problems().stream().map(CdsRequestException.Problem::expression).toList());
        return body(e.status(), ErrorBody.of(e.issueCode(), e.problems()));
    }

    @ExceptionHandler(InvalidOrderException.class)
    ResponseEntity<Object> invalidOrder(InvalidOrderException e) {
        return refused(CdsRequestException.invalid(e.field(), e.getMessage()));
    }

    @ExceptionHandler(InvalidPrefetchException.class)
    ResponseEntity<Object> invalidPrefetch(InvalidPrefetchException e) {
        return refused(CdsRequestException.invalid("prefetch." + e.key(), e.getMessage()));
    }

    @ExceptionHandler(PrefetchUnavailableException.class)
    ResponseEntity<Object> unavailable(PrefetchUnavailableException e) {
        List<CdsRequestException.Problem> problems = e.missing().stream()
                .map(m -> new CdsRequestException.Problem("prefetch." + m.key(),
                        "required data '" + m.key() + "' could not be obtained: " + m.reason()))
                .toList();
        return refused(new CdsRequestException(HttpStatus.PRECONDITION_FAILED, "incomplete", problems));
    }

    /** The database is down: 503, so the client sends again (nothing was acknowledged). */
    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<Object> storeUnavailable(StoreUnavailableException e) {
        log.warn("database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", ErrorBody.RETRY_AFTER_SECONDS)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(ErrorBody.sendAgain("the database is unavailable; nothing was stored: send it again"));
    }

    @ExceptionHandler(RejectedValueException.class)
    ResponseEntity<Object> rejectedValue(RejectedValueException e) {
        return refused(CdsRequestException.invalid("feedback", "a value in the feedback cannot be stored (for example a NUL"
                + " character); it was not stored"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("unexpected {} at {}", e.getClass().getName(),
                Arrays.stream(e.getStackTrace()).limit(8).map(StackTraceElement::toString).toList());
        return body(HttpStatus.INTERNAL_SERVER_ERROR,
                ErrorBody.of("exception", "the service failed unexpectedly; the failure is logged under this call's hookInstance"));
    }

    /** Spring MVC's own errors (405, 415, 404 for unknown paths, unreadable bodies) get the same body shape. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String message;
        String code = "invalid";
        if (ex instanceof HttpRequestMethodNotSupportedException m) {
            message = "method " + m.getMethod() + " is not supported here; supported: " + m.getSupportedHttpMethods();
            code = "not-supported";
        } else if (ex instanceof HttpMediaTypeNotSupportedException) {
            message = "Content-Type must be application/json";
            code = "not-supported";
        } else if (ex instanceof NoResourceFoundException) {
            message = "no such path; GET /cds-services lists the services";
            code = "not-found";
        } else if (ex instanceof HttpMessageNotReadableException) {
            message = "the request body could not be read";
        } else {
            HttpStatus known = HttpStatus.resolve(status.value());
            message = known == null ? "request failed" : known.getReasonPhrase();
        }
        HttpHeaders out = new HttpHeaders();
        out.addAll(headers);
        out.setContentType(MediaType.APPLICATION_JSON);
        return ResponseEntity.status(status).headers(out).body(ErrorBody.of(code, message));
    }

    private static ResponseEntity<Object> body(HttpStatusCode status, ErrorBody body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
