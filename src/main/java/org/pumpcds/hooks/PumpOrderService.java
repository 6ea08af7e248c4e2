package org.pumpcds.hooks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.cards.CardGroup;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.cards.FrameFacts;
import org.pumpcds.compounding.CompoundingCheck;
import org.pumpcds.config.CardsProperties;
import org.pumpcds.coverage.CoverageCheck;
import org.pumpcds.findings.Criteria;
import org.pumpcds.findings.Finding;
import org.pumpcds.hooks.api.Card;
import org.pumpcds.hooks.api.CdsResponse;
import org.pumpcds.hooks.api.HookRequest;
import org.pumpcds.hooks.api.OrderContext;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.ImplantedPumps;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.OrderReader;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.AllowedServers;
import org.pumpcds.prefetch.CallDeadline;
import org.pumpcds.prefetch.FhirAccess;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.prefetch.ReferencedResources;
import org.pumpcds.terminology.ValueSetIndex;
import org.springframework.stereotype.Service;

/**
 * One call, in one direction: read the orders; stop at once when none concerns a pump (no FHIR query);
 * resolve the patient record, then read what the orders and record reference, all under the one call deadline;
 * evaluate from memory; render one payer card for the pump procedure/device orders and one compounding card per
 * pump drug order.
 */
@Service
class PumpOrderService {

    /** What a call produced, for the call log (counts only, never content). */
    record Outcome(CdsResponse response, int orders, int pumpOrders, boolean recordResolved) {
    }

    private final OrderReader orderReader;
    private final PrefetchResolver prefetchResolver;
    private final ValueSetIndex valueSets;
    private final CompoundingCheck compounding;
    private final CoverageCheck coverage;
    private final PolicyKnowledge policies;
    private final CardRenderer cards;
    private final boolean cardWhenAllMet;
    private final AllowedServers allowedServers;

    PumpOrderService(OrderReader orderReader, PrefetchResolver prefetchResolver, ValueSetIndex valueSets,
            CompoundingCheck compounding, CoverageCheck coverage, PolicyKnowledge policies, CardRenderer cards,
            CardsProperties cardSettings, AllowedServers allowedServers) {
        this.orderReader = orderReader;
        this.prefetchResolver = prefetchResolver;
        this.valueSets = valueSets;
        this.compounding = compounding;
        this.coverage = coverage;
        this.policies = policies;
        this.cards = cards;
        this.cardWhenAllMet = cardSettings.infoWhenAllMet();
        this.allowedServers = allowedServers;
    }

    Outcome call(CdsServiceDescriptor service, HookRequest request) {
        CallDeadline deadline = prefetchResolver.startDeadline();
        OrderContext context = request.context();
        DraftOrders orders = orderReader.read(context.draftOrders(),
                service.scopedToSelections() ? context.selections() : null);
        if (!orders.concernsPump()) {
            return new Outcome(CdsResponse.of(List.of()), orders.readable().size(), 0, false);
        }
        FhirAccess access = access(request);
        PatientRecord record = prefetchResolver.resolve(service.prefetch(), request.prefetch(), access,
                tokens(context), deadline);
        // everything the rules follow a reference to is read now, together, so evaluation never waits on the network
        Set<String> notShipped = new LinkedHashSet<>(FollowedReferences.of(orders, record, valueSets));
        notShipped.removeIf(reference -> find(reference, orders, record).isPresent());
        ReferencedResources referenced = prefetchResolver.readAll(access, notShipped, context.patientId(), deadline);
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
        return new Outcome(CdsResponse.of(rendered), orders.readable().size(), pumpOrders.size(), true);
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

    /**
     * The EHR access this call may use: none without a token; refused when the server is not on the allowed list
     * or the token was granted for another patient (fhirAuthorization.patient), so no query leaves its scope.
     */
    private FhirAccess access(HookRequest request) {
        if (request.fhirAuthorization() == null) {
            return FhirAccess.none();
        }
        FhirAccess access = FhirAccess.of(request.fhirServer(), request.fhirAuthorization().accessToken());
        if (!allowedServers.permits(access.server())) {
            return FhirAccess.refused("a fhirServer this service is not configured to query (pumpcds.fhir-query.allowed-servers)");
        }
        String grantedPatient = request.fhirAuthorization().patient();
        if (grantedPatient != null && !grantedPatient.isBlank()
                && !grantedPatient.replaceFirst("^Patient/", "").equals(request.context().patientId())) {
            return FhirAccess.refused("an access token granted for another patient than context.patientId");
        }
        return access;
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

    private static Map<String, String> tokens(OrderContext context) {
        Map<String, String> tokens = new HashMap<>();
        tokens.put("patientId", context.patientId());
        if (context.userId() != null) {
            tokens.put("userId", context.userId());
        }
        if (context.encounterId() != null) {
            tokens.put("encounterId", context.encounterId());
        }
        return tokens;
    }
}
