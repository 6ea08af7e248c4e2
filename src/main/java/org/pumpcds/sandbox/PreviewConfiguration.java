package org.pumpcds.sandbox;

import org.pumpcds.config.PageSecurityHeaders;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
     * The page calls this origin or, when a tester points it there ({@code ?cds=...&fhir=...}, for a HAPI server
     * running the plug-in), another port on this machine; the page itself refuses other hosts too.
     */
    static final String CONNECT_SOURCES = "'self' http://localhost:* http://127.0.0.1:* http://[::1]:*";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/preview/**").addResourceLocations("classpath:/preview/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/preview", "/preview/").setKeepQueryParams(true);
        registry.addViewController("/preview/").setViewName("forward:/preview/index.html");
    }

    @Bean
    FilterRegistrationBean<PageSecurityHeaders> previewSecurityHeaders() {
        return PageSecurityHeaders.on(CONNECT_SOURCES, "/preview", "/preview/*");
    }
}
