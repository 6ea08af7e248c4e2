package org.pumpcds.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.pumpcds.prefetch.CallDeadline;
import org.pumpcds.prefetch.FhirAccess;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.prefetch.PrefetchResolver;
import org.pumpcds.prefetch.PrefetchTemplate;
import org.pumpcds.prefetch.ReferencedResources;
import tools.jackson.databind.JsonNode;

/**
 * The patient's data for one call from its prefetch and, for what prefetch lacks, from the call's fhirServer with its
 * token, under one deadline: how both hosts read an EHR. The access is decided only when a pump order needs data, so
 * a call without one never looks at fhirServer.
 */
public final class FhirRecordSource implements PumpOrderEngine.RecordSource {

    private final PrefetchResolver resolver;
    private final List<PrefetchTemplate> templates;
    private final Supplier<JsonNode> prefetch;
    private final Supplier<FhirAccess> accessRule;
    private final Map<String, String> contextTokens;
    private final CallDeadline deadline;
    private FhirAccess access;

    /**
     * @param prefetch      the call's prefetch object, read only if the record is asked for; null when there is none
     * @param accessRule    decides the call's access (FhirAccess.forCall) when first needed
     * @param contextTokens values of the {@code {{context.X}}} tokens; {@code patientId} is required
     */
    public FhirRecordSource(PrefetchResolver resolver, List<PrefetchTemplate> templates, Supplier<JsonNode> prefetch,
            Supplier<FhirAccess> accessRule, Map<String, String> contextTokens, CallDeadline deadline) {
        this.resolver = resolver;
        this.templates = templates;
        this.prefetch = prefetch;
        this.accessRule = accessRule;
        this.contextTokens = Map.copyOf(contextTokens);
        this.deadline = deadline;
    }

    /** The {@code {{context.X}}} values a prefetch template may name; userId and encounterId only when the call has them. */
    public static Map<String, String> contextTokens(String patientId, String userId, String encounterId) {
        Map<String, String> tokens = new HashMap<>();
        tokens.put("patientId", patientId);
        if (userId != null) {
            tokens.put("userId", userId);
        }
        if (encounterId != null) {
            tokens.put("encounterId", encounterId);
        }
        return tokens;
    }

    @Override
    public PatientRecord record() {
        return resolver.resolve(templates, prefetch == null ? null : prefetch.get(), access(), contextTokens, deadline);
    }

    @Override
    public ReferencedResources read(Set<String> references) {
        return resolver.readAll(access(), references, contextTokens.get("patientId"), deadline);
    }

    /** Whether the call may read a FHIR server (a token for an allowed server, granted for this patient). */
    public boolean canReadServer() {
        return access().available();
    }

    private FhirAccess access() {
        if (access == null) {
            access = accessRule.get();
        }
        return access;
    }
}
