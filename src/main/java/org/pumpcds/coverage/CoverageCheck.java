package org.pumpcds.coverage;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.preparation.PreparationReader;
import org.pumpcds.preparation.PumpPreparation;
import org.pumpcds.findings.Finding;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.ImplantedPumps;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/** Runs the payer checks for the pump procedure/device orders of one call. */
public final class CoverageCheck {

    /** The findings for one card, the policy that applied and what the card's header says. */
    public record Result(PumpOrder primary, List<PumpOrder> pumpOrders, PolicyChoice policy, TherapyDrug drug,
            boolean replacement, List<Finding> findings) {
    }

    private final PayerPolicySelector selector;
    private final TherapyClassifier classifier;
    private final CoverageEvaluator evaluator;
    private final PreparationReader preparations;
    private final ValueSetIndex valueSets;

    public CoverageCheck(PayerPolicySelector selector, TherapyClassifier classifier, CoverageEvaluator evaluator,
            PreparationReader preparations, ValueSetIndex valueSets) {
        this.selector = selector;
        this.classifier = classifier;
        this.evaluator = evaluator;
        this.preparations = preparations;
        this.valueSets = valueSets;
    }

    /**
     * The label contraindications for a pump drug order when no pump procedure or device is ordered with it (then
     * the payer card, which carries them otherwise, is not made).
     */
    public List<Finding> labelContraindications(PumpOrder drugOrder, DraftOrders orders, PatientRecord record,
            Function<String, Optional<Resource>> lookup) {
        TherapyDrug drug = classifier.classify(orders, record, lookup);
        boolean implanted = !ImplantedPumps.in(record, valueSets).isEmpty();
        return evaluator.labelContraindications(new CoverageEvaluator.Episode(drugOrder, drug, null, implanted), record);
    }

    /** Empty when no pump procedure or device order is in scope (a refill alone has no payer check here). */
    public Optional<Result> check(DraftOrders orders, PatientRecord record, Function<String, Optional<Resource>> lookup) {
        List<PumpOrder> pumpOrders = orders.pumpOrders().stream().filter(o -> o.kind() != OrderKind.DRUG).toList();
        if (pumpOrders.isEmpty()) {
            return Optional.empty();
        }
        TherapyDrug drug = classifier.classify(orders, record, lookup);
        PumpPreparation preparation = null;
        if (drug.request() != null) {
            Coding route = new Coding().setSystem(org.pumpcds.terminology.CodeSystems.SNOMED).setCode(drug.routeCode());
            preparation = preparations.read(new PumpOrder(drug.reference(), OrderKind.DRUG, drug.request(), route, drug.name(), false),
                    orders, record, lookup);
        }
        boolean replacementCode = pumpOrders.stream().anyMatch(o -> valueSets.contains(ValueSets.of("pump-replacement"),
                o.matched().getSystem(), o.matched().getCode()));
        boolean replacement = replacementCode || !ImplantedPumps.in(record, valueSets).isEmpty();
        PolicyChoice policy = selector.choose(record, lookup);
        CoverageEvaluator.Episode episode = new CoverageEvaluator.Episode(pumpOrders.get(0), drug, preparation, replacement);
        return Optional.of(new Result(pumpOrders.get(0), pumpOrders, policy, drug, replacement,
                evaluator.evaluate(policy.policyId(), episode, record)));
    }
}
