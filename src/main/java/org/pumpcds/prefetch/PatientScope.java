package org.pumpcds.prefetch;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import tools.jackson.databind.JsonNode;

/**
 * Whether a resource is this patient's. Rules may only read the context patient's data: a resource that points at
 * another patient, or at no patient where its type says whose it is ({@code subject}, {@code patient},
 * {@code beneficiary}), is not evidence about this patient, whoever sent it. Resources of types that belong to no
 * patient (Organization, Medication, Practitioner) are kept.
 */
final class PatientScope {

    private static final List<String> PATIENT_ELEMENTS = List.of("patient", "subject", "beneficiary");

    /** The element of a resource type that names its patient. */
    private record PatientElement(String name, BaseRuntimeChildDefinition child) {
    }

    private final FhirContext fhir;
    /**
     * By resource type, looked up in the FHIR model once. Bounded: only R4 type names reach it (a prefetched type is
     * checked, case and all, against the model before; a parsed resource names its own).
     */
    private final Map<String, Optional<PatientElement>> patientElements = new ConcurrentHashMap<>();

    PatientScope(FhirContext fhir) {
        this.fhir = fhir;
    }

    private Optional<PatientElement> patientElement(String type) {
        return patientElements.computeIfAbsent(type, t -> {
            RuntimeResourceDefinition definition = fhir.getResourceDefinition(t);
            for (String element : PATIENT_ELEMENTS) {
                BaseRuntimeChildDefinition child = definition.getChildByName(element);
                if (child != null) {
                    return Optional.of(new PatientElement(element, child));
                }
            }
            return Optional.empty();
        });
    }

    boolean belongsTo(Resource resource, String patientId) {
        if (resource.fhirType().equals("Patient")) {
            return patientId.equals(resource.getIdElement().getIdPart());
        }
        Optional<PatientElement> element = patientElement(resource.fhirType());
        if (element.isEmpty()) {
            return true;
        }
        List<IBase> values = element.get().child().getAccessor().getValues(resource);
        return !values.isEmpty() && values.stream().allMatch(value -> isPatient(value, patientId));
    }

    /**
     * The same test on a resource still in JSON, so that another patient's resource is counted and left out without
     * being parsed. A Patient resource cannot be judged here (a Bundle's fullUrl can give it its id): parse it first.
     *
     * @param type a resource type the FHIR context knows
     */
    boolean belongsTo(String type, JsonNode resource, String patientId) {
        Optional<PatientElement> element = patientElement(type);
        if (element.isEmpty()) {
            return true;
        }
        JsonNode value = resource.get(element.get().name());
        if (value == null || value.isNull() || value.isArray() && value.isEmpty()) {
            return false;
        }
        if (!value.isArray()) {
            return isPatient(value, patientId);
        }
        for (JsonNode one : value) {
            if (!isPatient(one, patientId)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPatient(JsonNode reference, String patientId) {
        JsonNode value = reference.get("reference");
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            return false;
        }
        IdType id = new IdType(value.asString());
        return "Patient".equals(id.getResourceType()) && patientId.equals(id.getIdPart());
    }

    private static boolean isPatient(IBase value, String patientId) {
        if (!(value instanceof Reference reference) || !reference.hasReference()) {
            return false;
        }
        var id = reference.getReferenceElement();
        return "Patient".equals(id.getResourceType()) && patientId.equals(id.getIdPart());
    }
}
