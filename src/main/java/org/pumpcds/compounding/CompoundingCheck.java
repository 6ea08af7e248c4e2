package org.pumpcds.compounding;

import org.pumpcds.preparation.PreparationReader;
import org.pumpcds.preparation.PumpPreparation;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.findings.Finding;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;

/** Runs the compounding checks for one pump drug order under the rules of the dispensing pharmacy's state. */
public final class CompoundingCheck {

    /**
     * @param policy        the pharmacy policy applied
     * @param pharmacyState the dispensing pharmacy's state as recorded, or null
     * @param defaulted     true when the configured default applied (no state, or a state no pharmacy policy governs)
     */
    public record Result(List<Finding> findings, Policy policy, String pharmacyState, boolean defaulted) {
    }

    private final PreparationReader reader;
    private final StabilityEvaluator evaluator;
    private final PolicyKnowledge policies;
    private final Policy defaultPolicy;

    /** Fails at start when the default state is governed by no pharmacy policy. */
    public CompoundingCheck(PreparationReader reader, StabilityEvaluator evaluator, PolicyKnowledge policies,
            CompoundingSettings settings) {
        this.reader = reader;
        this.evaluator = evaluator;
        this.policies = policies;
        this.defaultPolicy = policies.pharmacyPolicyFor(settings.defaultJurisdiction()).orElseThrow(() -> new IllegalStateException(
                "pumpcds.compounding.default-jurisdiction: no pharmacy policy in knowledge/policies lists the state "
                        + settings.defaultJurisdiction() + " in its states"));
    }

    public Result check(PumpOrder order, DraftOrders orders, PatientRecord record, Function<String, Optional<Resource>> lookup) {
        PumpPreparation preparation = reader.read(order, orders, record, lookup);
        Optional<Policy> byState = policies.pharmacyPolicyFor(preparation.dispensingState());
        Policy policy = byState.orElse(defaultPolicy);
        return new Result(evaluator.evaluate(preparation, policy), policy, preparation.dispensingState(), byState.isEmpty());
    }
}
