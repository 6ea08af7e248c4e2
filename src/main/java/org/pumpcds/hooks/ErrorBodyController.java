package org.pumpcds.hooks;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error controller: errors that reach the servlet container's error page (a sendError from a
 * servlet or filter, an exception outside Spring MVC) get an OperationOutcome too, with no path, message or trace.
 * Asked for directly, with no error to report, it is "not found".
 */
@RestController
class ErrorBodyController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            return null; // the answer was already given (a filter's refusal the container still reports): add nothing
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value && value >= 400 ? value : 404;
        HttpStatus known = HttpStatus.resolve(status);
        String message = known == null ? "request failed" : known.getReasonPhrase();
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBody.of(ErrorBody.codeFor(status), message));
    }
}
