package org.pumpcds.config;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The analytics page at {@code /analytics/} (src/main/resources/analytics/), over {@code GET /analytics/rules}.
 * Protected like every path: with client authentication on it needs the EHR's token, or a gateway that adds it.
 */
@Configuration(proxyBeanMethods = false)
public class AnalyticsPageConfiguration implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/analytics/assets/**").addResourceLocations("classpath:/analytics/");
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/analytics", "/analytics/").setKeepQueryParams(true);
        registry.addViewController("/analytics/").setViewName("forward:/analytics/assets/index.html");
    }

    @Bean
    FilterRegistrationBean<PageSecurityHeaders> analyticsPageSecurityHeaders() {
        return PageSecurityHeaders.on("'self'", "/analytics", "/analytics/", "/analytics/assets/*");
    }
}
