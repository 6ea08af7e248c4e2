package org.pumpcds.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.cards.CardGroup;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.cards.FrameFacts;
import org.pumpcds.compounding.CompoundingCheck;
import org.pumpcds.coverage.CoverageCheck;
import org.pumpcds.findings.Criteria;
import org.pumpcds.findings.Finding;
import org.pumpcds.api.Card;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.ImplantedPumps;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.OrderReader;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.prefetch.ReferencedResources;
import org.pumpcds.terminology.ValueSetIndex;
import tools.jackson.databind.JsonNode;

/**
 * "Evaluate this hook call": the host-independent core of both hosts (the standalone service and the HAPI FHIR
 * plug-in). It reads the draft orders, stops at once when none concerns a pump (no record is read), asks the host for
 * the patient's record and for the resources the rules follow references to, then evaluates and renders one payer
 * card for the pump procedure/device orders, one compounding card per pump drug order and the contraindications
 * cards. No Spring, no servlet; the host decides where data comes from and how the cards travel.
 */
public final class PumpOrderEngine {

    /** Where a host gets the patient's data for one call. */
    public interface RecordSource {

        /** The patient's record (prefetch, or the host's own reads), scoped to the context patient. */
        PatientRecord record();

        /** The resources of these references (relative {@code Type/id}) the host can read, all of them before evaluation. */
        ReferencedResources read(Set<String> references);
    }

    /** What a call produced: the cards, and counts for the call log (never content). */
    public record Result(List<Card> cards, int orders, int pumpOrders, boolean recordRead) {
    }

    private final OrderReader orderReader;
    private final ValueSetIndex valueSets;
    private final CompoundingCheck compounding;
    private final CoverageCheck coverage;
    private final PolicyKnowledge policies;
    private final CardRenderer cards;
    private final boolean cardWhenAllMet;

    /** @param cardWhenAllMet an order that meets every criterion still gets one short info card */
    public PumpOrderEngine(OrderReader orderReader, ValueSetIndex valueSets, CompoundingCheck compounding,
            CoverageCheck coverage, PolicyKnowledge policies, CardRenderer cards, boolean cardWhenAllMet) {
        this.orderReader = orderReader;
        this.valueSets = valueSets;
        this.compounding = compounding;
        this.coverage = coverage;
        this.policies = policies;
        this.cards = cards;
        this.cardWhenAllMet = cardWhenAllMet;
    }

    /** Whether the draft orders (the context's draftOrders Bundle, as JSON) may concern a pump; "no" is final. */
    public boolean mayConcernPump(JsonNode draftOrders) {
        return orderReader.mayConcernPump(draftOrders);
    }

    /**
     * @param draftOrders the context's draftOrders Bundle, as JSON
     * @param selections  the orders in scope (order-select), or null for all (order-sign)
     * @param source      asked for data only when an order concerns a pump
     */
    public Result evaluate(JsonNode draftOrders, List<String> selections, RecordSource source) {
        DraftOrders orders = orderReader.read(draftOrders, selections);
        if (!orders.concernsPump()) {
            return new Result(List.of(), orders.entries(), 0, false);
        }
        PatientRecord record = source.record();
        // everything the rules follow a reference to is read now, together, so evaluation never waits on the network
        Set<String> notShipped = new LinkedHashSet<>(FollowedReferences.of(orders, record, valueSets));
        notShipped.removeIf(reference -> find(reference, orders, record).isPresent());
        ReferencedResources referenced = notShipped.isEmpty() ? ReferencedResources.none() : source.read(notShipped);
        Function<String, Optional<Resource>> lookup = reference -> find(reference, orders, record)
                .or(() -> referenced.find(reference));
        List<PumpOrder> pumpOrders = ImplantedPumps.confirm(orders, record, valueSets);
        List<Card> rendered = new ArrayList<>();
        int excluded = record.excludedOtherPatients() + referenced.excludedOtherPatients();
        Optional<CoverageCheck.Result> payer = coverage.check(orders, record, lookup);
        payer.ifPresent(result -> {
            String ordered = String.join(" + ", result.pumpOrders().stream().map(PumpOrder::label).toList());
            add(rendered, result.primary().reference(), policies.policy(result.policy().policyId()),
                    payerFindings(result.findings()), new FrameFacts.Coverage(ordered,
                            result.policy().payer() == null ? "" : result.policy().payer(), result.policy().defaulted(),
                            result.drug().name() == null ? "" : result.drug().name(), result.replacement(), excluded));
            contraindications(rendered, result.primary().reference(), ordered, result.findings(), excluded);
        });
        for (PumpOrder order : pumpOrders) {
            if (order.kind() == OrderKind.DRUG) {
                CompoundingCheck.Result result = compounding.check(order, orders, record, lookup);
                add(rendered, order.reference(), result.policy(), result.findings(), new FrameFacts.Compounding(order.label(),
                        result.pharmacyState() == null ? "" : result.pharmacyState(), result.defaulted(), excluded));
                if (payer.isEmpty()) { // with a pump ordered, the payer check already carries the label rules
                    contraindications(rendered, order.reference(), order.label(),
                            coverage.labelContraindications(order, orders, record, lookup), excluded);
                }
            }
        }
        return new Result(rendered, orders.entries(), pumpOrders.size(), true);
    }

    /** Renders a card unless every finding is met or a note and such cards are switched off. */
    private void add(List<Card> rendered, String order, Policy policy, List<Finding> findings, FrameFacts facts) {
        boolean allMet = findings.stream().allMatch(f -> f.status() == Finding.Status.MET || f.status() == Finding.Status.INFORMATION);
        if (!findings.isEmpty() && (!allMet || cardWhenAllMet)) {
            rendered.add(cards.render(new CardGroup(order, Criteria.citation(policy), findings, facts)));
        }
    }

    private List<Finding> payerFindings(List<Finding> findings) {
        return findings.stream().filter(f -> !policies.isContraindication(f.ruleId())).toList();
    }

    /** The contraindications and label warnings among the findings, on a card of their own (clinical overrides). */
    private void contraindications(List<Card> rendered, String order, String ordered, List<Finding> findings, int excluded) {
        List<Finding> clinical = findings.stream().filter(f -> policies.isContraindication(f.ruleId())).toList();
        if (clinical.isEmpty()) {
            return;
        }
        add(rendered, order, policies.policy(clinical.get(0).citation().policyId()), clinical,
                new FrameFacts.Contraindications(ordered, excluded));
    }

    /** A referenced resource shipped with the call: in draftOrders or in the patient record. */
    private static Optional<Resource> find(String reference, DraftOrders orders, PatientRecord record) {
        if (reference == null) {
            return Optional.empty();
        }
        for (Resource resource : orders.readable()) {
            if (reference.equals(resource.getIdElement().toUnqualifiedVersionless().getValue())) {
                return Optional.of(resource);
            }
        }
        return record.find(reference);
    }
}
