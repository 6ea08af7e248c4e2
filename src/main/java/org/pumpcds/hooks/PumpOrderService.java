package org.pumpcds.hooks;

import org.pumpcds.engine.CdsServiceDescriptor;
import org.pumpcds.engine.FhirRecordSource;
import org.pumpcds.engine.PumpOrderEngine;
import org.pumpcds.api.CdsResponse;
import org.pumpcds.api.FhirAuthorization;
import org.pumpcds.api.HookRequest;
import org.pumpcds.api.OrderContext;
import org.pumpcds.prefetch.AllowedServers;
import org.pumpcds.prefetch.CallDeadline;
import org.pumpcds.prefetch.FhirAccess;
import org.pumpcds.prefetch.PrefetchResolver;
import org.springframework.stereotype.Service;

/**
 * The standalone host of one call: the engine evaluates; this supplies its data, from prefetch or from the EHR's
 * FHIR server with the call's token (allowed servers only, never for another patient), all under one call deadline.
 */
@Service
class PumpOrderService {

    /** What a call produced, for the call log (counts only, never content). */
    record Outcome(CdsResponse response, int orders, int pumpOrders, boolean recordResolved) {
    }

    private final PumpOrderEngine engine;
    private final PrefetchResolver prefetchResolver;
    private final AllowedServers allowedServers;

    PumpOrderService(PumpOrderEngine engine, PrefetchResolver prefetchResolver, AllowedServers allowedServers) {
        this.engine = engine;
        this.prefetchResolver = prefetchResolver;
        this.allowedServers = allowedServers;
    }

    Outcome call(CdsServiceDescriptor service, HookRequest request) {
        CallDeadline deadline = prefetchResolver.startDeadline();
        OrderContext context = request.context();
        PumpOrderEngine.Result result = engine.evaluate(context.draftOrders(),
                service.scopedToSelections() ? context.selections() : null, new FhirRecordSource(prefetchResolver,
                        service.prefetch(), request.prefetch(), () -> access(request),
                        FhirRecordSource.contextTokens(context.patientId(), context.userId(), context.encounterId()), deadline));
        return new Outcome(CdsResponse.of(result.cards()), result.orders(), result.pumpOrders(), result.recordRead());
    }

    private FhirAccess access(HookRequest request) {
        FhirAuthorization authorization = request.fhirAuthorization();
        return FhirAccess.forCall(request.fhirServer(), authorization == null ? null : authorization.accessToken(),
                authorization == null ? null : authorization.patient(), request.context().patientId(), allowedServers);
    }
}
