package org.pumpcds.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.hapi.fhir.cdshooks.api.ICdsHooksDaoAuthorizationSvc;
import ca.uhn.hapi.fhir.cdshooks.api.ICdsServiceRegistry;
import ca.uhn.hapi.fhir.cdshooks.config.CdsHooksConfig;
import ca.uhn.hapi.fhir.cdshooks.controller.CdsHooksController;
import ca.uhn.hapi.fhir.cdshooks.svc.CdsHooksContextBooter;
import java.io.IOException;
import java.nio.file.Path;
import org.pumpcds.sandbox.HostFhirServer;
import org.pumpcds.sandbox.SandboxFhirServer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * A HAPI FHIR host as hapi-fhir-jpaserver-starter (image/v8.8.0-1) wires CDS Hooks, without the JPA database: HAPI's
 * CdsHooksConfig, a context booter without a definitions class, a permissive DAO authorization service, and a FHIR
 * server at /fhir holding the scenario patients. The plug-in is found by package scan, as
 * {@code hapi.fhir.custom-bean-packages: org.pumpcds.hapi} finds it in the starter.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = DataSourceAutoConfiguration.class,
        excludeName = "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration")
@Import(CdsHooksConfig.class)
@ComponentScan("org.pumpcds.hapi")
public class HostApplication {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4();
    }

    @Bean
    CdsHooksContextBooter cdsHooksContextBooter() {
        return new CdsHooksContextBooter();
    }

    @Bean
    ICdsHooksDaoAuthorizationSvc cdsHooksDaoAuthorizationSvc() {
        return resource -> { };
    }

    @Bean
    DaoRegistry daoRegistry(FhirContext fhir) {
        return new DaoRegistry(fhir);
    }

    @Bean
    CdsHooksController cdsHooksController(ICdsServiceRegistry registry) {
        return new CdsHooksController(registry);
    }

    @Bean
    ServletRegistrationBean<SandboxFhirServer> hostFhirServer(FhirContext fhir) throws IOException {
        SandboxFhirServer server = HostFhirServer.create(fhir, Path.of(System.getProperty("core.dir", ".."), "src/main/resources/sandbox"));
        ServletRegistrationBean<SandboxFhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
