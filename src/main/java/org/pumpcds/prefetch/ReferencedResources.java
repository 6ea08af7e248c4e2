package org.pumpcds.prefetch;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * Resources read from fhirServer before evaluation because the orders or the record reference them, by the relative
 * reference that names them. Holds only the context patient's (or no patient's) resources.
 *
 * @param excludedOtherPatients resources read that were left out because they are another patient's
 */
public record ReferencedResources(Map<String, Resource> byReference, int excludedOtherPatients) {

    private static final ReferencedResources NONE = new ReferencedResources(Map.of(), 0);

    public ReferencedResources {
        byReference = Map.copyOf(byReference);
    }

    /**
     * Resources a host read by other means (its own database): those of another patient are left out, and counted,
     * as for the ones read from a FHIR server.
     */
    public static ReferencedResources ofPatient(FhirContext fhir, Map<String, Resource> read, String patientId) {
        PatientScope scope = new PatientScope(fhir);
        Map<String, Resource> kept = new LinkedHashMap<>();
        read.forEach((reference, resource) -> {
            if (scope.belongsTo(resource, patientId)) {
                kept.put(reference, resource);
            }
        });
        return new ReferencedResources(kept, read.size() - kept.size());
    }

    public static ReferencedResources none() {
        return NONE;
    }

    public Optional<Resource> find(String reference) {
        return Optional.ofNullable(reference == null ? null : byReference.get(reference));
    }
}
