package org.pumpcds.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Error body: a FHIR OperationOutcome, as the CDS Hooks 3.0 ballot suggests for non-2xx answers, so EHR
 * integrators can read it with the FHIR tooling they already have. One issue per problem.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record ErrorBody(String resourceType, List<Issue> issue) {

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
}
