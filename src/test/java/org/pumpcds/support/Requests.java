package org.pumpcds.support;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds CDS Hooks requests and draft orders for tests. */
public final class Requests {

    public static final List<String> PREFETCH_KEYS = List.of("patient", "conditions", "medicationRequests",
            "medicationStatements", "allergies", "observations", "procedures", "devices", "coverage",
            "stabilityEvidence");
    public static final String CPT = "http://www.ama-assn.org/go/cpt";
    public static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    public static final String SNOMED = "http://snomed.info/sct";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Requests() {
    }

    /** An order-sign request with the given draft orders and every prefetch key answered "no data" (null). */
    public static ObjectNode orderSign(String patientId, ObjectNode... orders) {
        ObjectNode request = envelope("order-sign", patientId, orders);
        ObjectNode prefetch = request.putObject("prefetch");
        PREFETCH_KEYS.forEach(prefetch::putNull);
        return request;
    }

    /** An order-select request selecting the given references, with every prefetch key answered "no data". */
    public static ObjectNode orderSelect(String patientId, List<String> selections, ObjectNode... orders) {
        ObjectNode request = envelope("order-select", patientId, orders);
        ArrayNode selected = ((ObjectNode) request.get("context")).putArray("selections");
        selections.forEach(selected::add);
        ObjectNode prefetch = request.putObject("prefetch");
        PREFETCH_KEYS.forEach(prefetch::putNull);
        return request;
    }

    private static ObjectNode envelope(String hook, String patientId, ObjectNode... orders) {
        ObjectNode request = JSON.createObjectNode();
        request.put("hook", hook);
        request.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = request.putObject("context");
        context.put("userId", "Practitioner/test-clinician");
        context.put("patientId", patientId);
        context.set("draftOrders", bundle("collection", orders));
        return request;
    }

    public static ObjectNode serviceRequest(String id, String system, String code) {
        return codedOrder("ServiceRequest", id, "code", system, code);
    }

    public static ObjectNode deviceRequest(String id, String system, String code) {
        return codedOrder("DeviceRequest", id, "codeCodeableConcept", system, code);
    }

    private static ObjectNode codedOrder(String type, String id, String codeField, String system, String code) {
        ObjectNode order = resource(type, id);
        order.put("status", "draft");
        order.put("intent", "order");
        coding(order.putObject(codeField), system, code);
        order.putObject("subject").put("reference", "Patient/p1");
        return order;
    }

    /** A MedicationRequest for an RxNorm ingredient by a SNOMED route. */
    public static ObjectNode medicationRequest(String id, String rxnorm, String name, String routeCode) {
        ObjectNode order = JSON.createObjectNode();
        order.put("resourceType", "MedicationRequest");
        order.put("id", id);
        order.put("status", "draft");
        order.put("intent", "order");
        ObjectNode medication = order.putObject("medicationCodeableConcept");
        coding(medication, "http://www.nlm.nih.gov/research/umls/rxnorm", rxnorm);
        medication.put("text", name);
        order.putObject("subject").put("reference", "Patient/p1");
        coding(order.putArray("dosageInstruction").addObject().putObject("route"), SNOMED, routeCode);
        return order;
    }

    public static ObjectNode resource(String type, String id) {
        ObjectNode resource = JSON.createObjectNode();
        resource.put("resourceType", type);
        resource.put("id", id);
        return resource;
    }

    /** A searchset Bundle holding the given resources. */
    public static ObjectNode searchset(ObjectNode... resources) {
        return bundle("searchset", resources);
    }

    private static ObjectNode bundle(String type, ObjectNode... resources) {
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("type", type);
        ArrayNode entries = bundle.putArray("entry");
        for (ObjectNode resource : resources) {
            entries.addObject().set("resource", resource);
        }
        return bundle;
    }

    /** An active implanted pump Device for the patient. */
    public static ObjectNode implantedPump(String patientId) {
        ObjectNode device = resource("Device", "pump-" + patientId);
        device.put("status", "active");
        coding(device.putObject("type"), "https://pump-cds.github.io/fhir/CodeSystem/pump-cds", "implantable-infusion-pump");
        device.putObject("patient").put("reference", "Patient/" + patientId);
        return device;
    }

    private static void coding(ObjectNode concept, String system, String code) {
        ObjectNode coding = concept.putArray("coding").addObject();
        coding.put("system", system);
        coding.put("code", code);
    }
}
