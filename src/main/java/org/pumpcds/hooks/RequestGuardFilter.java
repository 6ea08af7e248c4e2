package org.pumpcds.hooks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * First check on every request, before CORS and authentication: only the methods the service answers, and only
 * paths with a single spelling ({@link RequestPaths#aliasingProblem}). Refusals are a JSON OperationOutcome.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class RequestGuardFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestGuardFilter.class);
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "OPTIONS");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!METHODS.contains(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
            ErrorBody.of("not-supported", "this service answers GET, HEAD, POST and OPTIONS only").write(response, 405);
            return;
        }
        String problem = RequestPaths.aliasingProblem(request.getRequestURI());
        if (problem != null) {
            log.info("refused request path: {}", problem);
            ErrorBody.of("invalid", problem).write(response, 400);
            return;
        }
        chain.doFilter(request, response);
    }
}
