package org.pumpcds.sandbox;

import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The ordering preview at {@code /preview/}: static pages (src/main/resources/preview/) that call the service's own
 * endpoints as an EHR would. Served only with the sandbox on, like {@code /fhir}: it is a demo, not a product page.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pumpcds.sandbox.enabled", havingValue = "true", matchIfMissing = true)
public class PreviewConfiguration implements WebMvcConfigurer {

    /**
     * Scripts and styles only from this origin, no inline code, no framing. The page may call another CDS service or
     * FHIR server when a tester points it there ({@code ?cds=...&fhir=...}, for the HAPI plug-in), hence any
     * http(s) {@code connect-src}.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' http: https:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/preview/**").addResourceLocations("classpath:/preview/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/preview", "/preview/");
        registry.addViewController("/preview/").setViewName("forward:/preview/index.html");
    }

    @Bean
    FilterRegistrationBean<Filter> previewSecurityHeaders() {
        Filter headers = (request, response, chain) -> {
            var http = (jakarta.servlet.http.HttpServletResponse) response;
            http.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            http.setHeader("X-Content-Type-Options", "nosniff");
            http.setHeader("Referrer-Policy", "no-referrer");
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(headers);
        registration.addUrlPatterns("/preview", "/preview/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }
}
