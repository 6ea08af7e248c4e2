package org.pumpcds.hooks;

import java.util.List;
import org.springframework.http.HttpStatus;

/** A request the service refuses, with every problem found (each naming where in the request it is). */
public class CdsRequestException extends RuntimeException {

    /** One problem; {@code expression} is the request path, e.g. {@code context.draftOrders}. */
    public record Problem(String expression, String message) {
    }

    private final HttpStatus status;
    private final String issueCode;
    private final List<Problem> problems;

    public CdsRequestException(HttpStatus status, String issueCode, List<Problem> problems) {
        super(issueCode + ": " + problems.size() + " problem(s)", null, false, false);
        this.status = status;
        this.issueCode = issueCode;
        this.problems = List.copyOf(problems);
    }

    public static CdsRequestException invalid(String expression, String message) {
        return new CdsRequestException(HttpStatus.BAD_REQUEST, "invalid", List.of(new Problem(expression, message)));
    }

    public HttpStatus status() {
        return status;
    }

    public String issueCode() {
        return issueCode;
    }

    public List<Problem> problems() {
        return problems;
    }
}
