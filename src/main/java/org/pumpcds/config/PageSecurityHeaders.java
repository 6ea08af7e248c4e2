package org.pumpcds.config;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/**
 * The headers of the service's own web pages (ordering preview, analytics): scripts and styles only from this
 * origin, no inline code, no plug-ins, no framing, no HTML written from strings (Trusted Types), no referrer.
 */
public final class PageSecurityHeaders implements Filter {

    /** {@code connect-src}: where the page's scripts may call. */
    private final String contentSecurityPolicy;

    /** These headers on a page's paths, ordered before authentication (its refusals of a page carry them too). */
    public static FilterRegistrationBean<PageSecurityHeaders> on(String connectSources, String... urlPatterns) {
        FilterRegistrationBean<PageSecurityHeaders> registration = new FilterRegistrationBean<>(new PageSecurityHeaders(connectSources));
        registration.addUrlPatterns(urlPatterns);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    private PageSecurityHeaders(String connectSources) {
        this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src " + connectSources + "; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
                + "form-action 'none'; require-trusted-types-for 'script'";
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletResponse http = (HttpServletResponse) response;
        http.setHeader("Content-Security-Policy", contentSecurityPolicy);
        http.setHeader("X-Content-Type-Options", "nosniff");
        http.setHeader("Referrer-Policy", "no-referrer");
        chain.doFilter(request, response);
    }
}
