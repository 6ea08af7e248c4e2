package org.pumpcds.coverage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.pumpcds.preparation.PumpPreparation;
import org.pumpcds.findings.Criteria;
import org.pumpcds.findings.Finding;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.ValueSetIndex;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one interpreter of payer and label policies: for one pump episode it applies the policy's {@code always}
 * criteria and those of the first pathway whose {@code when} matches (listed in the file's order of criteria), then
 * the label policy's criteria; each criterion is decided by its declared {@link Check}. Pure; stateless.
 */
public final class CoverageEvaluator {

    /**
     * @param primary        the pump order the card attaches to (first pump procedure/device order in scope)
     * @param drug           the drug the pump is for
     * @param preparation    that drug read as a preparation (ingredients, strengths), or null
     * @param replacement    a replacement (replacement code, or a new pump for a patient who has one)
     */
    public record Episode(PumpOrder primary, TherapyDrug drug, PumpPreparation preparation,
            boolean replacement) {
    }

    private static final ObjectMapper CHECKS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final PolicyKnowledge policies;
    private final StabilityKnowledge knowledge;
    private final ValueSetIndex valueSets;
    private final CoverageSettings settings;
    private final Map<String, Check> checks;
    /** Each criterion by rule id, and its place in its policy file (cards list findings in that order). */
    private final Map<String, Policy.Criterion> criteria = new HashMap<>();
    private final Map<String, Integer> position = new HashMap<>();

    public CoverageEvaluator(PolicyKnowledge policies, StabilityKnowledge knowledge, ValueSetIndex valueSets,
            CoverageSettings settings) {
        this.policies = policies;
        this.knowledge = knowledge;
        this.valueSets = valueSets;
        this.settings = settings;
        this.checks = bind(policies);
        for (Policy policy : policies.all()) {
            for (int i = 0; i < policy.criteria().size(); i++) {
                criteria.put(policy.criteria().get(i).id(), policy.criteria().get(i));
                position.put(policy.criteria().get(i).id(), i);
            }
        }
    }

    /** Every payer and label criterion's check, typed once at start-up (the schema has already vetted the files). */
    private static Map<String, Check> bind(PolicyKnowledge policies) {
        Map<String, Check> checks = new HashMap<>();
        for (Policy policy : policies.all()) {
            for (Policy.Criterion criterion : policy.criteria()) {
                if (Check.FACTS.containsKey(criterion.kind())) {
                    try {
                        checks.put(criterion.id(), CHECKS.convertValue(criterion.check(), Check.class));
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("knowledge/policies, policy " + policy.id() + ", criterion "
                                + criterion.id() + ": check: " + e.getMessage(), e);
                    }
                }
            }
        }
        return Map.copyOf(checks);
    }

    /** The payer policy's findings for the episode, followed by the label policy's. */
    public List<Finding> evaluate(String policyId, Episode episode, PatientRecord record) {
        Policy policy = policies.policy(policyId);
        CheckInput in = input(episode, record);
        List<Finding> findings = new ArrayList<>();
        apply(policy, policy.always(), in, findings);
        for (Policy.Pathway pathway : policy.pathways()) {
            if (holds(pathway.when(), in)) {
                apply(policy, pathway.criteria(), in.withPathway(matched(pathway, in)), findings);
                break;
            }
        }
        // a card lists the criteria in the order the policy file declares them
        findings.sort(Comparator.comparingInt(f -> position.get(f.ruleId())));
        findings.addAll(labelContraindications(episode, record));
        return findings;
    }

    /**
     * The drug labels' criteria alone, for a pump drug order with no pump procedure or device ordered (a refill, or a
     * new drug in a pump already implanted): they hold whatever else is ordered.
     */
    public List<Finding> labelContraindications(Episode episode, PatientRecord record) {
        Policy label = policies.label();
        List<Finding> findings = new ArrayList<>();
        apply(label, label.always(), input(episode, record), findings);
        return findings;
    }

    private CheckInput input(Episode episode, PatientRecord record) {
        return new CheckInput(episode, new PatientFacts(record, valueSets, knowledge.identities()), CheckInput.Matched.NONE,
                valueSets, knowledge, settings);
    }

    private void apply(Policy policy, List<String> ids, CheckInput in, List<Finding> findings) {
        for (String id : ids) {
            Policy.Criterion criterion = criteria.get(id);
            if (!holds(criterion.when(), in)) {
                continue;
            }
            checks.get(id).evaluate(in).ifPresent(outcome -> {
                if (!Check.FACTS.get(criterion.kind()).containsAll(outcome.facts().keySet())) {
                    throw new IllegalStateException(criterion.kind() + " gave facts it does not declare: " + outcome.facts().keySet());
                }
                // every declared fact is given (empty when it does not apply), so no template can miss one at call time
                Map<String, Object> facts = new HashMap<>();
                Check.FACTS.get(criterion.kind()).forEach(fact -> facts.put(fact, ""));
                facts.putAll(outcome.facts());
                facts.put("drug", in.drugName());
                findings.add(Criteria.finding(policy, id, outcome.status(), in.episode().primary().reference(),
                        outcome.evidence(), facts, outcome.actions()));
            });
        }
    }

    private boolean holds(Policy.When when, CheckInput in) {
        if (when == null) {
            return true;
        }
        String therapy = in.episode().drug().therapy().id();
        PatientFacts facts = in.facts();
        return (when.therapy() == null || when.therapy().contains(therapy))
                && (when.notTherapy() == null || !when.notTherapy().contains(therapy))
                && (when.diagnosis() == null || when.diagnosis().stream().anyMatch(v -> !facts.active(v).isEmpty()))
                && (when.noDiagnosis() == null || when.noDiagnosis().stream().allMatch(v -> facts.active(v).isEmpty()))
                && (when.drug() == null || facts.matches(when.drug(), drugCodes(in)))
                && (when.replacement() == null || when.replacement() == in.episode().replacement());
    }

    /** The pathway's named use and what it cites: the first of its diagnoses found, then its extra citations. */
    private static CheckInput.Matched matched(Policy.Pathway pathway, CheckInput in) {
        List<Condition> cited = new ArrayList<>();
        if (pathway.when() != null && pathway.when().diagnosis() != null) {
            pathway.when().diagnosis().stream().map(v -> in.facts().active(v)).filter(c -> !c.isEmpty()).findFirst()
                    .ifPresent(cited::addAll);
        }
        if (pathway.cite() != null) {
            pathway.cite().forEach(v -> cited.addAll(in.facts().active(v)));
        }
        return new CheckInput.Matched(pathway.use(), cited);
    }

    private static CodeableConcept drugCodes(CheckInput in) {
        CodeableConcept concept = new CodeableConcept();
        in.episode().drug().codings().forEach(concept::addCoding);
        return concept;
    }
}
