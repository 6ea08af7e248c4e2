package org.pumpcds.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.cdshooks.CdsServiceRequestAuthorizationJson;
import ca.uhn.fhir.rest.api.server.cdshooks.CdsServiceRequestContextJson;
import ca.uhn.fhir.rest.api.server.cdshooks.CdsServiceRequestJson;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceIndicatorEnum;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardSourceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCodingJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionActionJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionJson;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.regex.Pattern;
import ca.uhn.hapi.fhir.cdshooks.api.ICdsHooksDaoAuthorizationSvc;
import org.hl7.fhir.r4.model.Bundle;
import org.pumpcds.orders.InvalidOrderException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.pumpcds.api.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.pumpcds.api.Card;
import org.pumpcds.api.Coding;
import org.pumpcds.api.Link;
import org.pumpcds.api.Suggestion;
import org.pumpcds.engine.CdsServiceDescriptor;
import org.pumpcds.engine.FhirRecordSource;
import org.pumpcds.engine.PumpOrderEngine;
import org.pumpcds.prefetch.AllowedServers;
import org.pumpcds.prefetch.CallDeadline;
import org.pumpcds.prefetch.FhirAccess;
import org.pumpcds.prefetch.InvalidPrefetchException;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.prefetch.PrefetchUnavailableException;
import org.pumpcds.prefetch.ReferencedResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One hook call as HAPI hands it over: its request turned into what the engine reads (draft orders and prefetch as
 * FHIR JSON), the engine's cards turned into HAPI's response objects. Prefetch HAPI could not fill is read from the
 * call's fhirServer with its token, as the standalone service reads it (allowed servers, one deadline).
 */
final class HapiHookCall {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(HapiHookCall.class);

    private final PumpOrderEngine engine;
    private final PrefetchResolver prefetchResolver;
    private final AllowedServers allowedServers;
    private final FhirContext fhir;
    private final DaoRegistry hostDatabase;
    private final ICdsHooksDaoAuthorizationSvc hostAuthorization;

    /** At most this many referenced resources are read from the host's database for one call. */
    static final int MAX_HOST_READS = 64;
    /** A FHIR id (FHIR R4 "id" datatype): what context.patientId may be before it goes into any query. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern RELATIVE_REFERENCE = Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}");

    /**
     * @param hostDatabase      the host's DAOs when the operator allows reading them (pumpcds.hapi.read-host-database),
     *                          else null
     * @param hostAuthorization the host's check of what a CDS call may see, or null
     */
    HapiHookCall(PumpOrderEngine engine, PrefetchResolver prefetchResolver, AllowedServers allowedServers, FhirContext fhir,
            DaoRegistry hostDatabase, ICdsHooksDaoAuthorizationSvc hostAuthorization) {
        this.engine = engine;
        this.prefetchResolver = prefetchResolver;
        this.allowedServers = allowedServers;
        this.fhir = fhir;
        this.hostDatabase = hostDatabase;
        this.hostAuthorization = hostAuthorization;
    }

    CdsServiceResponseJson call(CdsServiceDescriptor service, CdsServiceRequestJson request) {
        CallDeadline deadline = prefetchResolver.startDeadline();
        CdsServiceRequestContextJson context = request.getContext();
        String patientId;
        JsonNode draftOrders;
        List<String> selections;
        try {
            patientId = context.getString("patientId");
            draftOrders = context.getResource("draftOrders") instanceof Bundle bundle ? json(bundle) : null;
            selections = service.scopedToSelections() ? context.getArray("selections") : null;
        } catch (RuntimeException e) { // a field of the wrong JSON type
            throw new InvalidRequestException("context.patientId must be a string, context.draftOrders a Bundle and"
                    + " context.selections an array of strings");
        }
        if (patientId == null || !FHIR_ID.matcher(patientId).matches() || draftOrders == null
                || service.scopedToSelections() && selections == null) {
            throw new InvalidRequestException("context.patientId (a FHIR id) and context.draftOrders (a Bundle) are required"
                    + (service.scopedToSelections() ? ", and context.selections" : ""));
        }
        ObjectNode prefetch = JSON.createObjectNode();
        for (String key : request.getPrefetchKeys()) {
            IBaseResource value = request.getPrefetch(key);
            prefetch.set(key, value == null ? JSON.nullNode() : json(value));
        }
        Map<String, String> tokens = FhirRecordSource.contextTokens(patientId, context.getString("userId"),
                context.getString("encounterId"));
        CdsServiceRequestAuthorizationJson authorization = request.getServiceRequestAuthorizationJson();
        String token = authorization == null ? null : authorization.getAccessToken();
        try {
            String fhirServer = request.getFhirServer();
            FhirAccess access;
            try {
                access = fhirServer == null || token == null ? FhirAccess.none()
                        : FhirAccess.forCall(fhirServer, token, null, patientId, allowedServers);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("fhirServer must be an http(s) URL without user information");
            }
            FhirRecordSource ehr = new FhirRecordSource(prefetchResolver, service.prefetch(), () -> prefetch, () -> access, tokens,
                    deadline);
            PumpOrderEngine.Result result = engine.evaluate(draftOrders, selections, new PumpOrderEngine.RecordSource() {
                @Override
                public PatientRecord record() {
                    return ehr.record();
                }

                @Override
                public ReferencedResources read(Set<String> references) {
                    // a call without a fhirServer is about data this host holds: HAPI read its prefetch from the
                    // host's database, and the referenced resources come from there too
                    return fhirServer != null || hostDatabase == null ? ehr.read(references)
                            : ReferencedResources.ofPatient(fhir, readFromHost(references), patientId);
                }
            });
            CdsServiceResponseJson response = new CdsServiceResponseJson();
            result.cards().forEach(card -> response.addCard(card(card)));
            return response;
        } catch (PrefetchUnavailableException e) {
            // which keys and why (never content), for the operator: hosts may not pass the reason on
            log.warn("pump CDS call answered 412: {}", e.getMessage());
            throw new PreconditionFailedException(e.getMessage());
        } catch (InvalidPrefetchException | InvalidOrderException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /**
     * Each relative reference the host's database holds, of the type it names, that the host lets a CDS call see (a
     * missing, gone or hidden one is simply absent); at most {@link #MAX_HOST_READS}.
     */
    private Map<String, Resource> readFromHost(Set<String> references) {
        Map<String, Resource> read = new LinkedHashMap<>();
        for (String reference : references.stream().filter(r -> RELATIVE_REFERENCE.matcher(r).matches()).limit(MAX_HOST_READS).toList()) {
            IdType id = new IdType(reference);
            if (!hostDatabase.isResourceTypeSupported(id.getResourceType())) {
                continue;
            }
            try {
                IBaseResource found = hostDatabase.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
                if (hostAuthorization != null) {
                    hostAuthorization.authorizePreShow(found);
                }
                if (found instanceof Resource resource && resource.fhirType().equals(id.getResourceType())) {
                    read.put(reference, resource);
                }
            } catch (BaseServerResponseException e) {
                // not there, gone, or not for this caller: the rules read "not documented"
            }
        }
        return read;
    }

    private JsonNode json(IBaseResource resource) {
        return JSON.readTree(fhir.newJsonParser().encodeResourceToString(resource));
    }

    private CdsServiceResponseCardJson card(Card card) {
        CdsServiceResponseCardJson out = new CdsServiceResponseCardJson();
        out.setUuid(card.uuid());
        out.setSummary(card.summary());
        out.setDetail(card.detail());
        out.setIndicator(CdsServiceIndicatorEnum.valueOf(card.indicator().name()));
        CdsServiceResponseCardSourceJson source = new CdsServiceResponseCardSourceJson();
        source.setLabel(card.source().label());
        source.setUrl(card.source().url());
        if (card.source().topic() != null) {
            source.setTopic(coding(card.source().topic()));
        }
        out.setSource(source);
        if (card.suggestions() != null) {
            for (Suggestion suggestion : card.suggestions()) {
                CdsServiceResponseSuggestionJson s = new CdsServiceResponseSuggestionJson();
                s.setLabel(suggestion.label());
                s.setUuid(suggestion.uuid());
                for (Action action : suggestion.actions()) {
                    CdsServiceResponseSuggestionActionJson a = new CdsServiceResponseSuggestionActionJson();
                    a.setType(action.type());
                    a.setDescription(action.description());
                    if (action.resource() != null) {
                        a.setResource(fhir.newJsonParser().parseResource(action.resource().toString()));
                    }
                    s.addAction(a);
                }
                out.addSuggestion(s);
            }
        }
        out.setSelectionBehaviour(card.selectionBehavior());
        if (card.overrideReasons() != null && !card.overrideReasons().isEmpty()) {
            out.setOverrideReasons(card.overrideReasons().stream().map(HapiHookCall::coding).toList());
        }
        if (card.links() != null && !card.links().isEmpty()) {
            out.setLinks(card.links().stream().map(HapiHookCall::link).toList());
        }
        if (card.extension() != null) {
            out.setExtension(new CardExtension(JSON.valueToTree(card.extension())));
        }
        return out;
    }

    private static CdsServiceResponseCodingJson coding(Coding coding) {
        CdsServiceResponseCodingJson out = new CdsServiceResponseCodingJson();
        out.setSystem(coding.system());
        out.setCode(coding.code());
        out.setDisplay(coding.display());
        return out;
    }

    private static CdsServiceResponseLinkJson link(Link link) {
        CdsServiceResponseLinkJson out = new CdsServiceResponseLinkJson();
        out.setLabel(link.label());
        out.setUrl(link.url());
        out.setType(link.type());
        return out;
    }
}
