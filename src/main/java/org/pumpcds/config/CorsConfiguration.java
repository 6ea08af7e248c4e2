package org.pumpcds.config;

import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * One CORS filter, ahead of everything, for the CDS services and the sandbox FHIR endpoint alike: preflights are
 * answered without authentication; {@code Authorization} and {@code Content-Type} may be sent; credentials
 * are never allowed, so a wildcard origin cannot be abused with cookies (checklist X-1).
 */
@Configuration(proxyBeanMethods = false)
public class CorsConfiguration {

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties settings) {
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOriginPatterns(settings.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Prefer"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(1800L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        // One policy for every path: the CDS services, the sandbox FHIR servlet (outside Spring MVC) and health.
        source.registerCorsConfiguration("/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4); // after the call log and the request guard
        return registration;
    }
}
