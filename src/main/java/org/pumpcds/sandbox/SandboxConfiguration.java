package org.pumpcds.sandbox;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Mounts the sandbox at {@code /fhir/*} unless {@code pumpcds.sandbox.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pumpcds.sandbox.enabled", havingValue = "true", matchIfMissing = true)
public class SandboxConfiguration {

    /** The setting, for {@code @Value}; read it with {@link #enabled(String)}. */
    public static final String SETTING = "${pumpcds.sandbox.enabled:true}";

    /**
     * Whether the sandbox is on, read as {@code @ConditionalOnProperty} reads it. Anything but true or false stops the
     * start: "1", "on" or "yes" would turn the sandbox's beans off yet, read as a boolean elsewhere, open its
     * allow-lists.
     */
    public static boolean enabled(String setting) {
        if ("true".equalsIgnoreCase(setting)) {
            return true;
        }
        if ("false".equalsIgnoreCase(setting)) {
            return false;
        }
        throw new IllegalStateException("pumpcds.sandbox.enabled must be true or false");
    }

    @Bean
    SandboxStore sandboxStore(FhirContext fhir) throws IOException {
        List<SandboxStore.BundleFile> files = new ArrayList<>();
        for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:sandbox/*.json")) {
            files.add(new SandboxStore.BundleFile(file.getFilename(), file.getInputStream()));
        }
        return SandboxStore.load(fhir, files);
    }

    @Bean
    ServletRegistrationBean<SandboxFhirServer> sandboxFhirServlet(FhirContext fhir, SandboxStore store) {
        SandboxFhirServer server = new SandboxFhirServer(fhir, store, List.copyOf(SearchFields.BY_TYPE.keySet()));
        ServletRegistrationBean<SandboxFhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("sandboxFhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
