package org.pumpcds.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hapi.fhir.cdshooks.api.CdsPrefetchFailureMode;
import ca.uhn.hapi.fhir.cdshooks.api.CdsResolutionStrategyEnum;
import ca.uhn.hapi.fhir.cdshooks.api.ICdsHooksDaoAuthorizationSvc;
import ca.uhn.hapi.fhir.cdshooks.api.ICdsServiceRegistry;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceJson;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.pumpcds.compounding.CompoundingSettings;
import org.pumpcds.coverage.CoverageSettings;
import org.pumpcds.engine.CdsServiceDescriptor;
import org.pumpcds.engine.EngineAssembly;
import org.pumpcds.engine.PumpOrderEngine;
import org.pumpcds.engine.PumpServices;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.preparation.PreparationReader;
import org.pumpcds.prefetch.AllowedServers;
import org.pumpcds.prefetch.FhirHttp;
import org.pumpcds.prefetch.FhirQueryClient;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.prefetch.PrefetchTemplate;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.pumpcds.feedback.FeedbackStore;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The plug-in, found by the host's component scan ({@code hapi.fhir.custom-bean-packages: org.pumpcds.hapi}): builds
 * the same engine as the standalone service from the files it carries and the host's {@code pumpcds.*} properties,
 * and registers {@code pump-order-select} and {@code pump-order-sign} in the host's CDS Hooks registry with the same
 * descriptors. A bad knowledge file or setting stops the host's start, as it stops the standalone service.
 */
@Configuration(proxyBeanMethods = false)
public class PumpCdsPlugin {

    /** The registry group the services are registered under, so they can be unregistered together. */
    static final String GROUP = "pump-cds";

    @Bean
    PumpOrderEngine pumpCdsEngine(FhirContext fhirContext, Environment environment) {
        Binder binder = Binder.get(environment);
        Duration lookback = binder.bind("pumpcds.compounding.temperature-lookback", Duration.class).orElse(Duration.ofDays(7));
        double feverC = binder.bind("pumpcds.compounding.fever-threshold-c", Double.class).orElse(38.0);
        CoverageSettings coverage = new CoverageSettings(
                binder.bind("pumpcds.coverage.payers", Bindable.listOf(CoverageSettings.PayerMapping.class)).orElse(List.of()),
                binder.bind("pumpcds.coverage.default-policy", String.class).orElse("cg-surg-79"),
                binder.bind("pumpcds.coverage.trial-window", Duration.class).orElse(Duration.ofHours(72)), lookback, feverC,
                binder.bind("pumpcds.coverage.eri-alarm-window", Duration.class).orElse(CoverageSettings.DEFAULT_ERI_ALARM_WINDOW));
        CompoundingSettings compounding = new CompoundingSettings(lookback,
                binder.bind("pumpcds.compounding.body-temperature-c", Double.class).orElse(37.0),
                binder.bind("pumpcds.compounding.default-jurisdiction", String.class).orElse("MA"), feverC);
        PreparationReader.Settings preparation = new PreparationReader.Settings(
                binder.bind("pumpcds.compounding.default-reservoir-ml", Double.class).orElse(null), lookback);
        boolean cardWhenAllMet = binder.bind("pumpcds.cards.info-when-all-met", Boolean.class).orElse(true);
        return EngineAssembly.assemble(fhirContext, PumpCdsPlugin::classpath,
                new EngineAssembly.Settings(coverage, compounding, preparation, cardWhenAllMet));
    }

    /**
     * The files the plug-in jar carries, under the same folder names as the standalone service's: only from this jar,
     * never a same-named folder another jar on the host's loader path happens to carry.
     */
    private static List<KnowledgeFile> classpath(String folder, String pattern) throws IOException {
        URI ownJar;
        try {
            ownJar = container(PumpCdsPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the plug-in cannot tell which jar it is", e);
        }
        List<KnowledgeFile> files = new ArrayList<>();
        for (Resource file : new PathMatchingResourcePatternResolver(PumpCdsPlugin.class.getClassLoader())
                .getResources("classpath*:" + folder + "/" + pattern)) {
            if (container(file.getURI()).equals(ownJar)) {
                files.add(new KnowledgeFile(folder + "/" + file.getFilename(), file.getInputStream()));
            }
        }
        return files;
    }

    /**
     * The jar (or folder) a resource or class comes from: {@code jar:file:/x.jar!/knowledge/a.yaml} and
     * {@code jar:file:/x.jar!/} are in {@code file:/x.jar}; a file in a classes folder is in that folder.
     */
    private static URI container(URI resource) {
        if ("jar".equals(resource.getScheme())) {
            String inner = resource.getRawSchemeSpecificPart();
            int separator = inner.indexOf("!/");
            return URI.create(separator < 0 ? inner : inner.substring(0, separator));
        }
        String path = resource.getPath();
        if (path == null || path.endsWith(".jar") || path.endsWith("/")) {
            return resource;
        }
        int root = path.lastIndexOf("/knowledge/") >= 0 ? path.lastIndexOf("/knowledge/")
                : path.lastIndexOf("/fhir-profiles/") >= 0 ? path.lastIndexOf("/fhir-profiles/") : path.lastIndexOf("/cards-templates/");
        return resource.resolve(path.substring(0, root + 1));
    }

    /**
     * Reads what prefetch lacks from the call's fhirServer (HAPI leaves those keys to the service when the call names a
     * fhirServer: automatic FHIR-client prefetch is off), with the same limits as the standalone service.
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService pumpCdsQueryExecutor() {
        return Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "pump-cds-fhir-query");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    HapiHookCall pumpCdsHookCall(PumpOrderEngine pumpCdsEngine, FhirContext fhirContext, Environment environment,
            ExecutorService pumpCdsQueryExecutor, ObjectProvider<DaoRegistry> hostDatabase,
            ObjectProvider<ICdsHooksDaoAuthorizationSvc> authorization) {
        Binder binder = Binder.get(environment);
        FhirHttp http = new FhirHttp(fhirContext, pumpCdsQueryExecutor,
                binder.bind("pumpcds.fhir-query.connect-timeout", Duration.class).orElse(Duration.ofSeconds(2)),
                binder.bind("pumpcds.fhir-query.read-timeout", Duration.class).orElse(Duration.ofSeconds(3)),
                8L * 1024 * 1024, 32);
        PrefetchResolver resolver = new PrefetchResolver(fhirContext, new FhirQueryClient(http,
                binder.bind("pumpcds.fhir-query.max-pages", Integer.class).orElse(10), FhirQueryClient.QueryTimer.NONE),
                binder.bind("pumpcds.fhir-query.call-deadline", Duration.class).orElse(Duration.ofSeconds(4)));
        // inside a FHIR server, the list of EHR servers the service may query is the operator's, as in production
        AllowedServers allowed = AllowedServers.of(binder.bind("pumpcds.fhir-query.allowed-servers",
                Bindable.listOf(String.class)).orElse(List.of()), false);
        return new HapiHookCall(pumpCdsEngine, resolver, allowed, fhirContext,
                readsHostDatabase(environment) ? hostDatabase.getIfAvailable() : null, authorization.getIfAvailable());
    }

    /** Feedback in its own database (an H2 file by default; any JDBC URL whose driver the host has). */
    @Bean
    FeedbackStore pumpCdsFeedbackStore(Environment environment) {
        Binder binder = Binder.get(environment);
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
        String url = binder.bind("pumpcds.feedback.jdbc-url", String.class)
                .orElse("jdbc:h2:file:./data/pump-cds-feedback;WRITE_DELAY=0;TRACE_LEVEL_FILE=0;DB_CLOSE_DELAY=-1");
        try {
            dataSource.setDriver(DriverManager.getDriver(url));
        } catch (SQLException e) {
            throw new IllegalStateException("pumpcds.feedback.jdbc-url: the host has no JDBC driver for this URL", e);
        }
        dataSource.setUrl(url);
        dataSource.setUsername(binder.bind("pumpcds.feedback.username", String.class).orElse("sa"));
        dataSource.setPassword(binder.bind("pumpcds.feedback.password", String.class).orElse(""));
        // the standalone service's first migration, the same file (it creates the table only when missing)
        new ResourceDatabasePopulator(new ClassPathResource(FeedbackStore.SCHEMA_SCRIPT)).execute(dataSource);
        return new FeedbackStore(dataSource);
    }

    /** Each service's feedback path, mapped exactly so it wins over the host's CDS Hooks servlet or controller. */
    @Bean
    ServletRegistrationBean<FeedbackServlet> pumpCdsOrderSelectFeedback(FeedbackStore pumpCdsFeedbackStore) {
        return feedback(pumpCdsFeedbackStore, "pump-order-select");
    }

    @Bean
    ServletRegistrationBean<FeedbackServlet> pumpCdsOrderSignFeedback(FeedbackStore pumpCdsFeedbackStore) {
        return feedback(pumpCdsFeedbackStore, "pump-order-sign");
    }

    private static ServletRegistrationBean<FeedbackServlet> feedback(FeedbackStore store, String serviceId) {
        ServletRegistrationBean<FeedbackServlet> registration = new ServletRegistrationBean<>(new FeedbackServlet(store, serviceId),
                "/cds-services/" + serviceId + "/feedback");
        registration.setName("pumpCdsFeedback-" + serviceId);
        return registration;
    }

    /**
     * Browser clients (the CDS Hooks Sandbox) need CORS on /cds-services, which HAPI's CDS Hooks controller leaves out
     * (the starter's own servlet answers {@code *}): only when pumpcds.cors.allowed-origins names origins is a filter
     * added for them, never with credentials; otherwise the host's behaviour stands.
     */
    @Bean
    @ConditionalOnProperty("pumpcds.cors.allowed-origins[0]")
    FilterRegistrationBean<CorsFilter> pumpCdsCors(Environment environment) {
        List<String> origins = Binder.get(environment).bind("pumpcds.cors.allowed-origins", Bindable.listOf(String.class))
                .orElse(List.of());
        // inside a FHIR server holding patient data, only named origins: a wildcard would let any page read cards
        if (origins.stream().anyMatch(o -> o.contains("*"))) {
            throw new IllegalStateException("pumpcds.cors.allowed-origins: name each origin; the plug-in takes no wildcard");
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(origins);
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Content-Type", "Authorization"));
        cors.setAllowCredentials(false);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/cds-services/**", cors);
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.addUrlPatterns("/cds-services/*");
        registration.setName("pumpCdsCors");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Registers the services once the host's registry is ready; a host with CDS Hooks off (hapi.fhir.cdshooks.enabled
     * and hapi.fhir.cr.enabled) has no registry, and the plug-in says so instead of stopping it.
     */
    @Bean
    SmartInitializingSingleton pumpCdsRegistration(ObjectProvider<ICdsServiceRegistry> registries, HapiHookCall pumpCdsHookCall,
            Environment environment) {
        boolean hostDatabase = readsHostDatabase(environment);
        return () -> {
            ICdsServiceRegistry registry = registries.getIfAvailable();
            if (registry == null) {
                LoggerFactory.getLogger(PumpCdsPlugin.class).warn("pump CDS services not registered: the host has no CDS Hooks"
                        + " registry (set hapi.fhir.cr.enabled and hapi.fhir.cdshooks.enabled)");
                return;
            }
            for (CdsServiceDescriptor service : PumpServices.all()) {
                registry.registerService(service.id(), request -> pumpCdsHookCall.call(service, request),
                        descriptor(service, hostDatabase), false, GROUP);
            }
            LoggerFactory.getLogger(PumpCdsPlugin.class).info("pump CDS services registered: {}",
                    PumpServices.all().stream().map(CdsServiceDescriptor::id).toList());
        };
    }

    /**
     * Whether a call may be answered from the host's own database (a call without prefetch and without fhirServer):
     * the caller names the patient, so this is off unless the operator has protected /cds-services (the plug-in does not
     * authenticate callers) and sets pumpcds.hapi.read-host-database=true.
     */
    static boolean readsHostDatabase(Environment environment) {
        return Binder.get(environment).bind("pumpcds.hapi.read-host-database", Boolean.class).orElse(false);
    }

    /** What discovery lists: the standalone service's descriptor, prefetch templates included. */
    static CdsServiceJson descriptor(CdsServiceDescriptor service, boolean hostDatabase) {
        CdsServiceJson json = new CdsServiceJson();
        json.setId(service.id());
        json.setHook(service.hook());
        json.setTitle(service.title());
        json.setDescription(service.description());
        for (PrefetchTemplate template : service.prefetch()) {
            json.addPrefetch(template.key(), template.template());
            // NONE: HAPI fills a missing key from its own database when the call names no fhirServer (only when the
            // operator allows it); SERVICE: the key is left to this service, which reads the EHR's server with the
            // call's token under its own rules, and a call with neither prefetch nor fhirServer is refused
            json.addSource(template.key(), hostDatabase ? CdsResolutionStrategyEnum.NONE : CdsResolutionStrategyEnum.SERVICE);
            json.addPrefetchFailureMode(template.key(), CdsPrefetchFailureMode.OMIT);
        }
        return json;
    }
}
