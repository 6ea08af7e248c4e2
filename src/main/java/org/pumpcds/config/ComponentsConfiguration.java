package org.pumpcds.config;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.pumpcds.coverage.CoverageSettings;
import org.pumpcds.engine.EngineAssembly;
import org.pumpcds.engine.PumpOrderEngine;
import org.pumpcds.feedback.FeedbackStore;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.prefetch.AllowedServers;
import org.pumpcds.prefetch.FhirHttp;
import org.pumpcds.prefetch.FhirQueryClient;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.sandbox.SandboxConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Builds the Spring-free components once at start-up; a bad knowledge or template file stops the start. */
@Configuration(proxyBeanMethods = false)
public class ComponentsConfiguration {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4();
    }

    /** Fails the start on a bad knowledge, code-set or template file, or a payer table naming no payer policy. */
    @Bean
    PumpOrderEngine pumpOrderEngine(FhirContext fhir, KnowledgeProperties location, CoverageProperties coverage,
            CompoundingProperties compounding, CardsProperties cards) {
        CoverageSettings coverageSettings = new CoverageSettings(coverage.payers(), coverage.defaultPolicy(), coverage.trialWindow(),
                compounding.temperatureLookback(), compounding.feverThresholdC(), coverage.eriAlarmWindow());
        return EngineAssembly.assemble(fhir, files(location), new EngineAssembly.Settings(coverageSettings,
                compounding.settings(), compounding.preparation(), cards.infoWhenAllMet()));
    }

    /** Feedback in the configured database (spring.datasource; its schema by Flyway). */
    @Bean
    FeedbackStore feedbackStore(DataSource dataSource) {
        return new FeedbackStore(dataSource);
    }

    /** Code sets and templates from the jar; knowledge from the jar or from pumpcds.knowledge.location. */
    private static EngineAssembly.Files files(KnowledgeProperties location) {
        return (folder, pattern) -> {
            boolean knowledge = folder.startsWith("knowledge/");
            String where = knowledge ? location.folder(folder.substring("knowledge/".length())) : "classpath:" + folder + "/";
            List<KnowledgeFile> files = new ArrayList<>();
            for (Resource file : RESOURCES.getResources(where + pattern)) {
                files.add(new KnowledgeFile(knowledge ? location.describe(folder.substring("knowledge/".length()), file.getFilename())
                        : folder + "/" + file.getFilename(), file.getInputStream()));
            }
            return files;
        };
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService fhirQueryExecutor(FhirQueryProperties settings) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread thread = new Thread(r, "fhir-query-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newFixedThreadPool(settings.threads(), threads);
    }

    @Bean
    PrefetchResolver prefetchResolver(FhirContext fhir, FhirQueryProperties settings, ExecutorService fhirQueryExecutor,
            FhirQueryClient.QueryTimer queryTimer) {
        FhirHttp http = new FhirHttp(fhir, fhirQueryExecutor, settings.connectTimeout(), settings.readTimeout(),
                settings.maxResponseSize().toBytes(), settings.maxPerServer());
        return new PrefetchResolver(fhir, new FhirQueryClient(http, settings.maxPages(), queryTimer), settings.callDeadline());
    }

    /** Fails the start on a malformed entry; with the sandbox off, an empty list allows no server. */
    @Bean
    AllowedServers allowedServers(FhirQueryProperties settings,
            @Value(SandboxConfiguration.SETTING) String sandboxSetting) {
        return AllowedServers.of(settings.allowedServers(), SandboxConfiguration.enabled(sandboxSetting));
    }

    private static final PathMatchingResourcePatternResolver RESOURCES = new PathMatchingResourcePatternResolver();


}
