package org.pumpcds.hooks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.findings.Finding;
import org.pumpcds.hooks.api.CdsResponse;
import org.pumpcds.hooks.api.HookRequest;
import org.pumpcds.hooks.api.OrderContext;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.orders.ImplantedPumps;
import org.pumpcds.orders.OrderReader;
import org.pumpcds.orders.OrderRecognition;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.FhirAccess;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.terminology.ValueSetIndex;
import org.springframework.stereotype.Service;

/**
 * One call, in one direction: read the orders; stop at once when none concerns a pump (no FHIR query);
 * resolve the patient record; evaluate; render cards.
 */
@Service
class PumpOrderService {

    /** What a call produced, for the call log (counts only, never content). */
    record Outcome(CdsResponse response, int orders, int pumpOrders, boolean recordResolved) {
    }

    private final OrderReader orderReader;
    private final PrefetchResolver prefetchResolver;
    private final ValueSetIndex valueSets;
    private final CardRenderer cards;

    PumpOrderService(OrderReader orderReader, PrefetchResolver prefetchResolver, ValueSetIndex valueSets,
            CardRenderer cards) {
        this.orderReader = orderReader;
        this.prefetchResolver = prefetchResolver;
        this.valueSets = valueSets;
        this.cards = cards;
    }

    Outcome call(CdsServiceDescriptor service, HookRequest request) {
        OrderContext context = request.context();
        DraftOrders orders = orderReader.read(context.draftOrders(),
                service.scopedToSelections() ? context.selections() : null);
        if (!orders.concernsPump()) {
            return new Outcome(CdsResponse.of(List.of()), orders.readable().size(), 0, false);
        }
        FhirAccess access = request.fhirAuthorization() == null ? FhirAccess.none()
                : new FhirAccess(request.fhirServer(), request.fhirAuthorization().accessToken());
        PatientRecord record = prefetchResolver.resolve(service.prefetch(), request.prefetch(), access,
                tokens(context));
        List<PumpOrder> pumpOrders = ImplantedPumps.confirm(orders, record, valueSets);
        List<Finding> findings = pumpOrders.stream().map(OrderRecognition::of).toList();
        return new Outcome(CdsResponse.of(findings.stream().map(cards::render).toList()),
                orders.readable().size(), pumpOrders.size(), true);
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
