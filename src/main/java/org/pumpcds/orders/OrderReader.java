package org.pumpcds.orders;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.pumpcds.fhirjson.CodedJson;
import org.pumpcds.fhirjson.FhirJsonTree;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;
import tools.jackson.databind.JsonNode;

/** Reads a draftOrders Bundle (as JSON) into {@link DraftOrders}. Stateless and thread-safe. */
public final class OrderReader {

    /**
     * Types the rules read, and resources orders may reference (Medication, the dispensing Organization, evidence
     * documents); every other type (NutritionOrder, CommunicationRequest, ...) is skipped.
     */
    private static final Set<String> READ_TYPES =
            Set.of("ServiceRequest", "Procedure", "DeviceRequest", "MedicationRequest", "Medication", "Organization",
                    "DocumentReference");

    private final FhirContext fhir;
    private final ValueSetIndex valueSets;

    private final Predicate<JsonNode> mayHavePumpCode;
    private final Predicate<JsonNode> mayHavePumpDeviceRequestCode;
    private final Predicate<JsonNode> mayHavePumpRoute;

    public OrderReader(FhirContext fhir, ValueSetIndex valueSets) {
        this.fhir = fhir;
        this.valueSets = valueSets;
        BiPredicate<String, String> pumpCode = (system, code) -> valueSets.contains(ValueSets.PUMP_DEVICES, system, code.trim())
                || valueSets.contains(ValueSets.PUMP_PROCEDURES, system, code.trim());
        this.mayHavePumpCode = CodedJson.mayHaveCoding("code", pumpCode);
        this.mayHavePumpDeviceRequestCode = CodedJson.mayHaveCoding("codeCodeableConcept", pumpCode);
        this.mayHavePumpRoute = CodedJson.mayHaveCoding("dosageInstruction.route",
                (system, code) -> valueSets.contains(ValueSets.PUMP_ROUTES, system, code.trim())
                        || valueSets.contains(ValueSets.PUMP_ROUTES_INTRAVENOUS, system, code.trim()));
    }

    /**
     * @param draftOrders the {@code context.draftOrders} value, already checked to be a Bundle object
     * @param selections  {@code context.selections} for order-select ({@code Type/id} each), or null for order-sign
     * @throws InvalidOrderException when an order of a type the rules read is not valid FHIR R4, or a selection
     *                               names no order in draftOrders
     */
    public DraftOrders read(JsonNode draftOrders, List<String> selections) {
        Set<String> allReferences = new LinkedHashSet<>();
        List<Integer> toRead = new ArrayList<>();
        boolean mayConcernPump = false;
        JsonNode entries = draftOrders.path("entry");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode resourceJson = entries.get(i).path("resource");
            String type = resourceJson.path("resourceType").asString("");
            allReferences.add(type + "/" + idOf(entries.get(i), resourceJson));
            if (READ_TYPES.contains(type)) {
                toRead.add(i);
                mayConcernPump = mayConcernPump || mayConcernPump(type, resourceJson);
            }
        }
        Set<String> scope = selections == null ? null : scope(selections, allReferences);
        if (!mayConcernPump) {
            return DraftOrders.noPumpOrder(toRead.size()); // the usual answer, given without parsing any order
        }

        List<Resource> readable = new ArrayList<>();
        Map<String, Resource> byReference = new HashMap<>();
        for (int i : toRead) {
            JsonNode resourceJson = entries.get(i).path("resource");
            String type = resourceJson.path("resourceType").asString("");
            String id = idOf(entries.get(i), resourceJson);
            String field = "context.draftOrders.entry[" + i + "].resource";
            Resource resource;
            try {
                resource = FhirJsonTree.parse(fhir, resourceJson);
            } catch (RuntimeException e) {
                // HAPI reports most malformed input as DataFormatException, but some shapes as bare runtime exceptions
                throw new InvalidOrderException(field, field + " is not a valid FHIR R4 " + type);
            }
            resource.setId(type + "/" + id);
            readable.add(resource);
            byReference.put(type + "/" + id, resource);
        }

        List<PumpOrder> pumpsOrdered = readable.stream().map(this::procedureOrDevice).flatMap(Optional::stream).toList();
        boolean pumpOrdered = !pumpsOrdered.isEmpty();
        List<PumpOrder> pumpOrders = new ArrayList<>();
        for (Resource resource : readable) {
            String reference = resource.getIdElement().getValue();
            if (scope != null && !scope.contains(reference)) {
                continue;
            }
            procedureOrDevice(resource).ifPresent(pumpOrders::add);
            if (resource instanceof MedicationRequest request) {
                drug(request, reference, pumpOrdered, byReference).ifPresent(pumpOrders::add);
            }
        }
        return new DraftOrders(List.copyOf(readable), List.copyOf(pumpOrders), pumpsOrdered, toRead.size());
    }

    /**
     * Whether any order in a draftOrders Bundle could concern a pump: the JSON screen {@link #read} starts with, and
     * answers "no pump order" on without parsing. "Yes" may still turn out no; "no" is final.
     */
    public boolean mayConcernPump(JsonNode draftOrders) {
        for (JsonNode entry : draftOrders.path("entry")) {
            JsonNode resource = entry.path("resource");
            String type = resource.path("resourceType").asString("");
            if (READ_TYPES.contains(type) && mayConcernPump(type, resource)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> scope(List<String> selections, Set<String> allReferences) {
        Set<String> scope = new LinkedHashSet<>();
        for (int i = 0; i < selections.size(); i++) {
            String selection = selections.get(i);
            if (!allReferences.contains(selection)) {
                throw new InvalidOrderException("context.selections[" + i + "]",
                        "context.selections[" + i + "] names an order that is not in context.draftOrders");
            }
            scope.add(selection);
        }
        return scope;
    }

    /**
     * Whether an order's JSON could make it a pump order ({@link #procedureOrDevice}, {@link #drug}): a pump
     * procedure or device code, a device named by reference, or a pump or intravenous route. "No" only when the
     * codes are plainly elsewhere; any shape the screen does not recognise reads as "could".
     */
    private boolean mayConcernPump(String type, JsonNode resource) {
        return switch (type) {
            case "ServiceRequest", "Procedure" -> mayHavePumpCode.test(resource);
            case "DeviceRequest" -> resource.hasNonNull("codeReference") || mayHavePumpDeviceRequestCode.test(resource);
            case "MedicationRequest" -> mayHavePumpRoute.test(resource);
            default -> false;
        };
    }

    private static String idOf(JsonNode entry, JsonNode resource) {
        String id = resource.path("id").asString("");
        if (id.isEmpty()) {
            String fullUrl = entry.path("fullUrl").asString("");
            id = fullUrl.substring(fullUrl.lastIndexOf('/') + 1);
        }
        return id;
    }

    private Optional<PumpOrder> procedureOrDevice(Resource resource) {
        CodeableConcept code;
        if (resource instanceof ServiceRequest request) {
            code = request.getCode();
        } else if (resource instanceof Procedure procedure) {
            code = procedure.getCode();
        } else if (resource instanceof DeviceRequest request) {
            code = request.hasCodeCodeableConcept() ? request.getCodeCodeableConcept() : deviceType(request);
        } else {
            return Optional.empty();
        }
        String reference = resource.getIdElement().getValue();
        Optional<Coding> device = valueSets.firstMatch(ValueSets.PUMP_DEVICES, code);
        if (device.isPresent()) {
            return Optional.of(new PumpOrder(reference, OrderKind.DEVICE, resource, device.get(),
                    label(ValueSets.PUMP_DEVICES, device.get(), code), false));
        }
        return valueSets.firstMatch(ValueSets.PUMP_PROCEDURES, code)
                .map(c -> new PumpOrder(reference, OrderKind.PROCEDURE, resource, c,
                        label(ValueSets.PUMP_PROCEDURES, c, code), false));
    }

    /** A DeviceRequest may name the device by reference to a contained Device rather than by code. */
    private static CodeableConcept deviceType(DeviceRequest request) {
        if (request.hasCodeReference() && request.getCodeReference().getResource() instanceof Device device) {
            return device.getType();
        }
        return null;
    }

    private Optional<PumpOrder> drug(MedicationRequest request, String reference, boolean pumpOrdered,
            Map<String, Resource> byReference) {
        for (Dosage dosage : request.getDosageInstruction()) {
            Optional<Coding> route = valueSets.firstMatch(ValueSets.PUMP_ROUTES, dosage.getRoute());
            if (route.isPresent()) {
                return Optional.of(new PumpOrder(reference, OrderKind.DRUG, request, route.get(),
                        drugLabel(request, byReference, route.get()), !pumpOrdered));
            }
            Optional<Coding> intravenous = valueSets.firstMatch(ValueSets.PUMP_ROUTES_INTRAVENOUS, dosage.getRoute());
            if (intravenous.isPresent() && pumpOrdered) {
                return Optional.of(new PumpOrder(reference, OrderKind.DRUG, request, intravenous.get(),
                        drugLabel(request, byReference, intravenous.get()), false));
            }
        }
        return Optional.empty();
    }

    private String label(String valueSetUrl, Coding coding, CodeableConcept concept) {
        String display = coding.hasDisplay() ? coding.getDisplay()
                : valueSets.display(valueSetUrl, coding.getSystem(), coding.getCode())
                        .orElse(concept != null && concept.hasText() ? concept.getText() : "");
        return (systemName(coding.getSystem()) + " " + coding.getCode() + (display.isEmpty() ? "" : " " + display)).trim();
    }

    private static String drugLabel(MedicationRequest request, Map<String, Resource> byReference, Coding route) {
        String name = medicationName(request, byReference);
        String routeName = route.hasDisplay() ? route.getDisplay() : "route " + route.getCode();
        return name + " (" + routeName + ")";
    }

    private static String medicationName(MedicationRequest request, Map<String, Resource> byReference) {
        CodeableConcept code = null;
        if (request.hasMedicationCodeableConcept()) {
            code = request.getMedicationCodeableConcept();
        } else if (request.hasMedicationReference()) {
            Resource target = (Resource) request.getMedicationReference().getResource();
            if (target == null) {
                target = byReference.get(request.getMedicationReference().getReference());
            }
            if (target instanceof Medication medication) {
                code = medication.getCode();
            }
        }
        if (code == null) {
            return "Medication";
        }
        if (code.hasText()) {
            return code.getText();
        }
        return code.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst()
                .orElse("Medication");
    }

    private static String systemName(String system) {
        return switch (CodeSystems.canonical(system)) {
            case CodeSystems.CPT -> "CPT";
            case CodeSystems.HCPCS -> "HCPCS";
            case CodeSystems.ICD10_PCS -> "ICD-10-PCS";
            case CodeSystems.SNOMED -> "SNOMED CT";
            default -> "";
        };
    }
}
