package org.pumpcds.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Error body: a FHIR OperationOutcome, as the CDS Hooks 3.0 ballot suggests for non-2xx answers, so EHR
 * integrators can read it with the FHIR tooling they already have. One issue per problem. Every error the server
 * produces, at any layer (Tomcat, filters, Spring MVC), has this body.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record ErrorBody(String resourceType, List<Issue> issue) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Seconds a 503 asks the client to wait before it sends the same request again. */
    static final String RETRY_AFTER_SECONDS = "5";

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Issue(String severity, String code, String diagnostics, List<String> expression) {
    }

    static ErrorBody of(String code, List<CdsRequestException.Problem> problems) {
        return new ErrorBody("OperationOutcome", problems.stream()
                .map(p -> new Issue("error", code, p.message(),
                        p.expression() == null || p.expression().isEmpty() ? null : List.of(p.expression())))
                .toList());
    }

    static ErrorBody of(String code, String message) {
        return new ErrorBody("OperationOutcome", List.of(new Issue("error", code, message, null)));
    }

    /** The body of a 503: nothing was done, and the same request may be sent again after RETRY_AFTER_SECONDS. */
    static ErrorBody sendAgain(String message) {
        return of("transient", message);
    }

    /** The OperationOutcome issue code for an HTTP error status. */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401, 403 -> "security";
            case 404 -> "not-found";
            case 405, 415, 501 -> "not-supported";
            case 408 -> "timeout";
            case 413 -> "too-costly";
            case 412 -> "incomplete";
            default -> status >= 500 ? "exception" : "processing";
        };
    }

    /** Writes this body as the whole answer, for the layers below Spring MVC (filters, Tomcat's error report). */
    void write(HttpServletResponse response, int status) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(this);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
