package org.pumpcds.hooks;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report for what it refuses before any filter runs (a malformed or undecodable URI, an encoded
 * slash, {@code CONNECT}, {@code TRACE}, oversized headers): the same JSON OperationOutcome as every other error,
 * never Tomcat's HTML page. Installed on the host by {@code HttpEdgeConfiguration}; Tomcat creates it by class name.
 */
public class OperationOutcomeErrorValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.resetBuffer();
            String reason = org.springframework.http.HttpStatus.resolve(status) == null ? "request refused"
                    : org.springframework.http.HttpStatus.resolve(status).getReasonPhrase();
            ErrorBody.of(ErrorBody.codeFor(status), reason).write(response.getResponse(), status);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response committed: nothing more can be said to this client
        }
    }
}
