package org.pumpcds.config;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.cards.TemplateContract;
import org.pumpcds.compounding.CompoundingCheck;
import org.pumpcds.compounding.CompoundingSettings;
import org.pumpcds.preparation.PreparationReader;
import org.pumpcds.compounding.StabilityEvaluator;
import org.pumpcds.coverage.Check;
import org.pumpcds.coverage.CoverageCheck;
import org.pumpcds.coverage.CoverageEvaluator;
import org.pumpcds.coverage.CoverageSettings;
import org.pumpcds.coverage.PayerPolicySelector;
import org.pumpcds.coverage.TherapyClassifier;
import org.pumpcds.engine.PumpOrderEngine;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.orders.OrderReader;
import org.pumpcds.prefetch.AllowedServers;
import org.pumpcds.prefetch.FhirHttp;
import org.pumpcds.prefetch.FhirQueryClient;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;
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

    @Bean
    ValueSetIndex valueSetIndex(FhirContext fhir) throws IOException {
        List<ValueSetIndex.Source> sources = new ArrayList<>();
        for (Resource file : classpath("fhir-profiles/ValueSet-*.json")) {
            sources.add(new ValueSetIndex.Source(file.getFilename(), file.getInputStream()));
        }
        return ValueSetIndex.load(fhir, sources);
    }

    /** Fails the start when a template reads a fact its criteria's check kinds do not provide (TemplateContract). */
    @Bean
    CardRenderer cardRenderer(FhirContext fhir, PolicyKnowledge policies) throws IOException {
        CardRenderer renderer = CardRenderer.load(fhir, templates("cards-templates/*.yaml"), templates("cards-templates/frames/*.yaml"));
        TemplateContract.verify(renderer, templateUses(policies));
        return renderer;
    }

    /** Each criterion's template with the facts its check kind declares (payer and label kinds, or pharmacy elements). */
    public static List<TemplateContract.Use> templateUses(PolicyKnowledge policies) {
        List<TemplateContract.Use> uses = new ArrayList<>();
        for (Policy policy : policies.all()) {
            for (Policy.Criterion criterion : policy.criteria()) {
                Set<String> provided = new HashSet<>();
                Map<String, Set<String>> items = Map.of();
                if (Check.FACTS.containsKey(criterion.kind())) {
                    provided.addAll(Check.FACTS.get(criterion.kind()));
                    provided.addAll(Check.EPISODE_FACTS);
                } else {
                    provided.addAll(StabilityEvaluator.FACTS.get(criterion.kind()));
                    provided.addAll(StabilityEvaluator.BASE_FACTS);
                    items = StabilityEvaluator.LIST_ITEMS;
                }
                uses.add(new TemplateContract.Use(policies.file(policy.id()) + ": " + criterion.id(), criterion.template(),
                        provided, items));
            }
        }
        return uses;
    }

    private static List<CardRenderer.TemplateFile> templates(String pattern) throws IOException {
        List<CardRenderer.TemplateFile> files = new ArrayList<>();
        for (Resource file : classpath(pattern)) {
            files.add(new CardRenderer.TemplateFile(file.getFilename(), file.getInputStream()));
        }
        return files;
    }

    @Bean
    StabilityKnowledge stabilityKnowledge(KnowledgeProperties location) throws IOException {
        List<KnowledgeFile> files = new ArrayList<>();
        for (String name : StabilityKnowledge.FILES) {
            Resource file = RESOURCES.getResource(location.folder("stability") + name);
            files.add(new KnowledgeFile(location.describe("stability", name), file.getInputStream()));
        }
        return StabilityKnowledge.load(files);
    }

    @Bean
    PolicyKnowledge policyKnowledge(KnowledgeProperties location, ValueSetIndex valueSets) throws IOException {
        List<KnowledgeFile> files = new ArrayList<>();
        for (Resource file : RESOURCES.getResources(location.folder("policies") + "*.yaml")) {
            files.add(new KnowledgeFile(location.describe("policies", file.getFilename()), file.getInputStream()));
        }
        return PolicyKnowledge.load(files, id -> valueSets.urls().contains(ValueSets.of(id)));
    }

    /** One reader of pump drug orders, shared by the compounding and the payer checks. */
    @Bean
    PreparationReader preparationReader(StabilityKnowledge knowledge, ValueSetIndex valueSets, CompoundingProperties properties) {
        return new PreparationReader(knowledge, valueSets, properties.preparation());
    }

    @Bean
    CompoundingCheck compoundingCheck(StabilityKnowledge knowledge, PolicyKnowledge policies, ValueSetIndex valueSets,
            PreparationReader preparations, CompoundingProperties properties) {
        CompoundingSettings settings = properties.settings();
        return new CompoundingCheck(preparations, new StabilityEvaluator(knowledge, policies, valueSets, settings), policies,
                settings);
    }

    @Bean
    CoverageCheck coverageCheck(PolicyKnowledge policies, StabilityKnowledge knowledge, ValueSetIndex valueSets,
            CoverageProperties coverage, CompoundingProperties compounding, PreparationReader preparations) {
        CoverageSettings base = coverage.settings();
        CoverageSettings settings = new CoverageSettings(base.payers(), base.defaultPolicy(), base.trialWindow(),
                compounding.temperatureLookback(), compounding.feverThresholdC());
        // fail at start on a payer table naming an unknown policy, or one that is not a payer's
        for (int i = 0; i < settings.payers().size(); i++) {
            payerPolicy(policies, "pumpcds.coverage.payers[" + i + "].policy", settings.payers().get(i).policy());
        }
        payerPolicy(policies, "pumpcds.coverage.default-policy", settings.defaultPolicy());
        return new CoverageCheck(new PayerPolicySelector(settings), new TherapyClassifier(valueSets, knowledge.identities()),
                new CoverageEvaluator(policies, knowledge, valueSets, settings),
                preparations, valueSets);
    }

    private static void payerPolicy(PolicyKnowledge policies, String setting, String id) {
        boolean payer = policies.all().stream().anyMatch(p -> p.id().equals(id) && "payer".equals(p.family()));
        if (!payer) {
            throw new IllegalStateException(setting + ": " + id + " is not a policy with family: payer in knowledge/policies");
        }
    }

    @Bean
    PumpOrderEngine pumpOrderEngine(OrderReader orderReader, ValueSetIndex valueSets, CompoundingCheck compounding,
            CoverageCheck coverage, PolicyKnowledge policies, CardRenderer cards, CardsProperties cardSettings) {
        return new PumpOrderEngine(orderReader, valueSets, compounding, coverage, policies, cards, cardSettings.infoWhenAllMet());
    }

    @Bean
    OrderReader orderReader(FhirContext fhir, ValueSetIndex valueSets) {
        return new OrderReader(fhir, valueSets);
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
    PrefetchResolver prefetchResolver(FhirContext fhir, FhirQueryProperties settings, ExecutorService fhirQueryExecutor) {
        FhirHttp http = new FhirHttp(fhir, fhirQueryExecutor, settings.connectTimeout(), settings.readTimeout(),
                settings.maxResponseSize().toBytes(), settings.maxPerServer());
        return new PrefetchResolver(fhir, new FhirQueryClient(http, settings.maxPages()), settings.callDeadline());
    }

    /** Fails the start on a malformed entry; with the sandbox off, an empty list allows no server. */
    @Bean
    AllowedServers allowedServers(FhirQueryProperties settings,
            @Value("${pumpcds.sandbox.enabled:true}") boolean sandboxEnabled) {
        return AllowedServers.of(settings.allowedServers(), sandboxEnabled);
    }

    private static final PathMatchingResourcePatternResolver RESOURCES = new PathMatchingResourcePatternResolver();

    private static Resource[] classpath(String pattern) throws IOException {
        return RESOURCES.getResources("classpath*:" + pattern);
    }
}
