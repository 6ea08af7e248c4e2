package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.RawHttp;

/**
 * Every error the server produces, at any layer (Tomcat before the filters, the filters, Spring MVC, the error page),
 * is a JSON OperationOutcome: never Tomcat's HTML page, Spring's default error JSON or a stack trace.
 */
class ErrorBodiesIT extends ApiTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "CONNECT, localhost:1,                         400|405|501",
            "TRACE,   /cds-services,                       405",
            "PUT,     /cds-services/pump-order-sign,       405",
            "DELETE,  /cds-services,                       405",
            "PROPFIND, /cds-services,                      405",
            "GET,     /cds-services/%2F,                   400",
            "GET,     /%00,                                400",
            "GET,     /cds-services/%zz,                   400",
            "GET,     /../../etc/passwd,                   400",
            "GET,     /%2e%2e/%2e%2e/etc/passwd,           400",
            "GET,     /a/b/..%2F..%2Fcds-services,         400",
            "GET,     /error,                              404",
            "GET,     /no-such-path,                       404",
            "GET,     /cds-services/no-such-service,       405",
            "POST,    /cds-services/no-such-service,       404|415"})
    void everyErrorIsAnOperationOutcome(String method, String target, String statuses) {
        RawHttp.Answer answer = RawHttp.send(port, method.trim(), target.trim(), "", null);
        assertThat(statuses.trim().split("\\|")).as(method + " " + target).contains(String.valueOf(answer.status()));
        assertThat(answer.header("Content-Type")).as(method + " " + target).startsWith("application/json");
        assertThat(answer.body()).as(method + " " + target).contains("\"resourceType\":\"OperationOutcome\"")
                .doesNotContain("<html", "Exception", "\"timestamp\"", "\"trace\"");
    }
}
