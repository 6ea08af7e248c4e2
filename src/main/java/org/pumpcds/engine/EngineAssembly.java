package org.pumpcds.engine;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.cards.TemplateContract;
import org.pumpcds.compounding.CompoundingCheck;
import org.pumpcds.compounding.CompoundingSettings;
import org.pumpcds.compounding.StabilityEvaluator;
import org.pumpcds.coverage.Check;
import org.pumpcds.coverage.CoverageCheck;
import org.pumpcds.coverage.CoverageEvaluator;
import org.pumpcds.coverage.CoverageSettings;
import org.pumpcds.coverage.PayerPolicySelector;
import org.pumpcds.coverage.TherapyClassifier;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.orders.OrderReader;
import org.pumpcds.preparation.PreparationReader;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/**
 * Builds the engine from the reviewed files and the settings, the same way in both hosts; a bad file or setting stops
 * the start with the file and field (or setting) named. No Spring: each host says how it finds the files.
 */
public final class EngineAssembly {

    /** The reviewed files by folder ({@code fhir-profiles}, {@code cards-templates}, {@code cards-templates/frames},
     * {@code knowledge/policies}, {@code knowledge/stability}) and file-name pattern, as the host finds them. */
    public interface Files {
        List<KnowledgeFile> list(String folder, String pattern) throws IOException;
    }

    /**
     * The {@code pumpcds.*} settings the rules read.
     *
     * @param coverage       pumpcds.coverage (payer table, default policy, trial window) with the shared temperature settings
     * @param compounding    pumpcds.compounding
     * @param preparation    pumpcds.compounding's reservoir and look-back, for reading drug orders
     * @param cardWhenAllMet pumpcds.cards.info-when-all-met
     */
    public record Settings(CoverageSettings coverage, CompoundingSettings compounding, PreparationReader.Settings preparation,
            boolean cardWhenAllMet) {
    }

    private EngineAssembly() {
    }

    public static PumpOrderEngine assemble(FhirContext fhir, Files files, Settings settings) {
        try {
            List<ValueSetIndex.Source> sources = new ArrayList<>();
            for (KnowledgeFile file : files.list("fhir-profiles", "ValueSet-*.json")) {
                sources.add(new ValueSetIndex.Source(file.name(), file.content()));
            }
            ValueSetIndex valueSets = ValueSetIndex.load(fhir, sources);
            List<KnowledgeFile> stabilityFiles = new ArrayList<>();
            for (String name : StabilityKnowledge.FILES) {
                stabilityFiles.addAll(files.list("knowledge/stability", name));
            }
            StabilityKnowledge knowledge = StabilityKnowledge.load(stabilityFiles);
            PolicyKnowledge policies = PolicyKnowledge.load(files.list("knowledge/policies", "*.yaml"),
                    id -> valueSets.urls().contains(ValueSets.of(id)));
            CardRenderer renderer = CardRenderer.load(fhir, templates(files.list("cards-templates", "*.yaml")),
                    templates(files.list("cards-templates/frames", "*.yaml")));
            TemplateContract.verify(renderer, templateUses(policies));

            CoverageSettings coverage = settings.coverage();
            for (int i = 0; i < coverage.payers().size(); i++) {
                payerPolicy(policies, "pumpcds.coverage.payers[" + i + "].policy", coverage.payers().get(i).policy());
            }
            payerPolicy(policies, "pumpcds.coverage.default-policy", coverage.defaultPolicy());
            // one reader of pump drug orders, shared by the compounding and the payer checks
            PreparationReader preparations = new PreparationReader(knowledge, valueSets, settings.preparation());
            CompoundingCheck compounding = new CompoundingCheck(preparations,
                    new StabilityEvaluator(knowledge, policies, valueSets, settings.compounding()), policies, settings.compounding());
            CoverageCheck coverageCheck = new CoverageCheck(new PayerPolicySelector(coverage),
                    new TherapyClassifier(valueSets, knowledge.identities()),
                    new CoverageEvaluator(policies, knowledge, valueSets, coverage), preparations, valueSets);
            return new PumpOrderEngine(new OrderReader(fhir, valueSets), valueSets, compounding, coverageCheck, policies,
                    renderer, settings.cardWhenAllMet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static List<CardRenderer.TemplateFile> templates(List<KnowledgeFile> files) {
        return files.stream().map(f -> new CardRenderer.TemplateFile(f.name(), f.content())).toList();
    }

    private static void payerPolicy(PolicyKnowledge policies, String setting, String id) {
        boolean payer = policies.all().stream().anyMatch(p -> p.id().equals(id) && "payer".equals(p.family()));
        if (!payer) {
            throw new IllegalStateException(setting + ": " + id + " is not a policy with family: payer in knowledge/policies");
        }
    }
}
