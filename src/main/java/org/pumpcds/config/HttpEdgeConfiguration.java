package org.pumpcds.config;

import org.apache.catalina.core.StandardHost;
import org.pumpcds.hooks.UnreadBodyValve;
import org.pumpcds.hooks.OperationOutcomeErrorValve;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.DeserializationFeature;

/** What the HTTP edge needs of Tomcat and Jackson. */
@Configuration(proxyBeanMethods = false)
public class HttpEdgeConfiguration {

    /** Tomcat's own refusals (bad URIs, CONNECT, TRACE) answer with an OperationOutcome rather than an HTML page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> operationOutcomeErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(OperationOutcomeErrorValve.class.getName());
            }
        });
    }

    /** A request answered before its body was read closes its connection instead of being drained. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> closeRatherThanDrainUnreadBodies() {
        return factory -> factory.addContextValves(new UnreadBodyValve());
    }

    /**
     * Request JSON is read strictly: a key repeated in one object is an error rather than "last one wins" (two
     * readers could otherwise disagree about a request), and decimals keep their exact value (FHIR decimals). Requests
     * are read as trees, so the tree reader checks for repeats as it fills each object, at no extra cost, rather than
     * the token reader keeping a set of every object's keys (which doubled the cost of reading a request).
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestJson() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }
}
