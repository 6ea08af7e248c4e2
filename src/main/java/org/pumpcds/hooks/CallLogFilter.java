package org.pumpcds.hooks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Logs one line per CDS Hooks request (method, service, status, time), chosen on the normalised path so no spelling
 * of it goes unlogged, and keeps the service id, hook and hookInstance in the logging context for every line of the
 * call. A request whose body is read asynchronously is logged when its last dispatch ends. Nothing else of the
 * request is logged: no patient data, no token, no body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2) // outermost of ours, so refused requests are logged too
class CallLogFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(CallLogFilter.class);
    private static final String STARTED = CallLogFilter.class.getName() + ".started";
    /** Only values of this shape are echoed into logs; anything else could carry anything. */
    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    private static final String OUTCOME = CallLogFilter.class.getName() + ".outcome";

    /** What the call produced (counts only), added to its one log line. */
    static void outcome(HttpServletRequest request, String counts) {
        request.setAttribute(OUTCOME, counts);
    }

    static void identify(String hook, String hookInstance) {
        MDC.put("hook", safe(hook));
        MDC.put("hookInstance", safe(hookInstance));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.normalized(request).startsWith("/cds-services");
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] path = RequestPaths.normalized(request).split("/");
        MDC.put("service", path.length > 2 ? safe(path[2]) : "discovery");
        if (request.getAttribute(STARTED) == null) {
            request.setAttribute(STARTED, System.nanoTime());
        }
        try {
            chain.doFilter(request, response);
        } finally {
            if (!request.isAsyncStarted()) {
                log.info("{} {} status={} ms={}{}", request.getMethod(), path.length > 3 ? "feedback" : "call",
                        response.getStatus(), (System.nanoTime() - (long) request.getAttribute(STARTED)) / 1_000_000,
                        request.getAttribute(OUTCOME) == null ? "" : " " + request.getAttribute(OUTCOME));
            }
            MDC.remove("service");
            MDC.remove("hook");
            MDC.remove("hookInstance");
        }
    }

    private static String safe(String value) {
        return value != null && SAFE.matcher(value).matches() ? value : "-";
    }
}
