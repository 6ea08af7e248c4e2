package org.pumpcds.compounding;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.findings.Finding;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;

/** Runs the compounding checks for one pump drug order under the dispensing pharmacy's state rules. */
public final class CompoundingCheck {

    /**
     * @param jurisdiction      the pharmacy rules applied
     * @param pharmacyState     the dispensing pharmacy's state as recorded, or null
     * @param defaulted         true when the configured default applied (no state, or a state without encoded rules)
     */
    public record Result(List<Finding> findings, Jurisdiction jurisdiction, String pharmacyState, boolean defaulted) {
    }

    private final PreparationReader reader;
    private final StabilityEvaluator evaluator;
    private final CompoundingSettings settings;

    public CompoundingCheck(PreparationReader reader, StabilityEvaluator evaluator, CompoundingSettings settings) {
        this.reader = reader;
        this.evaluator = evaluator;
        this.settings = settings;
    }

    public Result check(PumpOrder order, DraftOrders orders, PatientRecord record, Function<String, Optional<Resource>> lookup) {
        PumpPreparation preparation = reader.read(order, orders, record, lookup);
        Optional<Jurisdiction> byState = Jurisdiction.ofState(preparation.dispensingState());
        Jurisdiction jurisdiction = byState.orElse(settings.defaultJurisdiction());
        return new Result(evaluator.evaluate(preparation, jurisdiction), jurisdiction, preparation.dispensingState(),
                byState.isEmpty());
    }
}
