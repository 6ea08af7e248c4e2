package org.pumpcds.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.HCPCS;
import static org.pumpcds.support.Requests.deviceRequest;
import static org.pumpcds.support.Requests.implantedPump;
import static org.pumpcds.support.Requests.medicationRequest;
import static org.pumpcds.support.Requests.orderSelect;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.resource;
import static org.pumpcds.support.Requests.searchset;
import static org.pumpcds.support.Requests.serviceRequest;

import io.restassured.response.Response;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.CdsResponseAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Service calls: validation (400), routing (404/405/415), robustness, order reading (checklist R-*, O-*). */
class ServiceCallIT extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String SELECT = "/cds-services/pump-order-select";

    private static ObjectNode pumpSign() {
        return orderSign("p1", serviceRequest("sr1", CPT, "62362"));
    }

    private static ObjectNode pumpSelect() {
        return orderSelect("p1", List.of("ServiceRequest/sr1"), serviceRequest("sr1", CPT, "62362"));
    }

    private static JsonNode cards(Response response) {
        response.then().statusCode(200).contentType("application/json");
        JsonNode body = json(response);
        CdsResponseAssertions.assertValidResponse(body);
        return body.get("cards");
    }

    /** Asserts a 400 OperationOutcome whose issues name the expected field. */
    private static void assertRejected(Response response, int status, String expression) {
        response.then().statusCode(status).contentType("application/json");
        JsonNode body = json(response);
        assertThat(body.path("resourceType").asString()).isEqualTo("OperationOutcome");
        assertThat(body.path("issue")).isNotEmpty();
        assertThat(body.toString()).doesNotContain("at org.").doesNotContain("Exception");
        if (expression != null) {
            List<String> expressions = new java.util.ArrayList<>();
            body.get("issue").forEach(i -> i.path("expression").forEach(e -> expressions.add(e.asString())));
            assertThat(expressions).contains(expression);
        }
        for (JsonNode issue : body.get("issue")) {
            assertThat(issue.path("diagnostics").asString()).isNotBlank();
        }
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("missing hook", SIGN, (Consumer<ObjectNode>) r -> r.remove("hook"), "hook"),
                Arguments.of("hook not a string", SIGN, (Consumer<ObjectNode>) r -> r.put("hook", 7), "hook"),
                Arguments.of("missing hookInstance", SIGN, (Consumer<ObjectNode>) r -> r.remove("hookInstance"), "hookInstance"),
                Arguments.of("missing context", SIGN, (Consumer<ObjectNode>) r -> r.remove("context"), "context"),
                Arguments.of("context not an object", SIGN, (Consumer<ObjectNode>) r -> r.put("context", "x"), "context"),
                Arguments.of("hook of another service", SIGN, (Consumer<ObjectNode>) r -> r.put("hook", "order-select"), "hook"),
                Arguments.of("deprecated hook", SIGN, (Consumer<ObjectNode>) r -> r.put("hook", "medication-prescribe"), "hook"),
                Arguments.of("missing patientId", SIGN, (Consumer<ObjectNode>) r -> ctx(r).remove("patientId"), "context.patientId"),
                Arguments.of("missing draftOrders", SIGN, (Consumer<ObjectNode>) r -> ctx(r).remove("draftOrders"), "context.draftOrders"),
                Arguments.of("draftOrders not a Bundle", SIGN,
                        (Consumer<ObjectNode>) r -> ctx(r).set("draftOrders", resource("Patient", "x")), "context.draftOrders"),
                Arguments.of("draftOrders an array", SIGN,
                        (Consumer<ObjectNode>) r -> ctx(r).putArray("draftOrders"), "context.draftOrders"),
                Arguments.of("fhirAuthorization without fhirServer", SIGN, (Consumer<ObjectNode>) r -> r.putObject("fhirAuthorization")
                        .put("access_token", "t").put("token_type", "Bearer"), "fhirAuthorization"),
                Arguments.of("fhirAuthorization without token", SIGN, (Consumer<ObjectNode>) r -> {
                    r.put("fhirServer", "https://ehr.example.org/fhir");
                    r.putObject("fhirAuthorization").put("token_type", "Bearer");
                }, "fhirAuthorization.access_token"),
                Arguments.of("fhirServer not a URL", SIGN, (Consumer<ObjectNode>) r -> r.put("fhirServer", "not a url"), "fhirServer"),
                Arguments.of("prefetch not an object", SIGN, (Consumer<ObjectNode>) r -> r.putArray("prefetch"), "prefetch"),
                Arguments.of("prefetch value not FHIR", SIGN, (Consumer<ObjectNode>) r -> ((ObjectNode) r.get("prefetch"))
                        .set("patient", resource("NoSuchType", "x")), "prefetch.patient"),
                Arguments.of("order-select without selections", SELECT, (Consumer<ObjectNode>) r -> ctx(r).remove("selections"),
                        "context.selections"),
                Arguments.of("order-select with empty selections", SELECT, (Consumer<ObjectNode>) r -> ctx(r).putArray("selections"),
                        "context.selections"),
                Arguments.of("selection not in draftOrders", SELECT, (Consumer<ObjectNode>) r -> ctx(r).putArray("selections")
                        .add("ServiceRequest/other"), "context.selections[0]"),
                Arguments.of("selection not Type/id", SELECT, (Consumer<ObjectNode>) r -> ctx(r).putArray("selections").add(5),
                        "context.selections[0]"));
    }

    private static ObjectNode ctx(ObjectNode request) {
        return (ObjectNode) request.get("context");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestsGet400NamingTheProblem(String name, String path, Consumer<ObjectNode> breakIt, String expression) {
        ObjectNode request = path.equals(SIGN) ? pumpSign() : pumpSelect();
        breakIt.accept(request);
        assertRejected(post(path, request), 400, expression);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ObjectNode request = pumpSign();
        request.remove("hook");
        request.remove("hookInstance");
        JsonNode body = json(post(SIGN, request).then().statusCode(400).extract().response());
        assertThat(body.get("issue")).hasSize(2);
    }

    @Test
    void unparseableAndNonObjectBodiesGet400() {
        assertRejected(post(SIGN, "{\"hook\": "), 400, null);
        assertRejected(post(SIGN, "[]"), 400, null);
        assertRejected(post(SIGN, ""), 400, null);
        assertThat(json(post(SIGN, "{\"hook\": ")).toString()).contains("not valid JSON");
    }

    @Test
    void unknownServiceIs404OnCallAndFeedback() {
        assertRejected(post("/cds-services/no-such-service", pumpSign()), 404, null);
        assertRejected(post("/cds-services/no-such-service/feedback", "{\"feedback\":[]}"), 404, null);
        assertRejected(given().get("/no/such/path"), 404, null);
    }

    @Test
    void wrongMethodIs405AndWrongContentTypeIs415() {
        assertRejected(given().get(SIGN), 405, null);
        assertRejected(given().contentType("application/json").body("{}").post("/cds-services"), 405, null);
        assertRejected(given().contentType("text/plain").body(pumpSign().toString()).post(SIGN), 415, null);
    }

    @Test
    void unknownFieldsAndExtensionsAreIgnored() {
        ObjectNode request = pumpSign();
        request.putObject("extension").put("com.example.flag", true);
        request.put("somethingNew", 1);
        ctx(request).put("futureContextField", "x");
        ((ObjectNode) request.get("prefetch")).set("keyWeNeverAskedFor", resource("NoSuchType", "x"));
        assertThat(cards(post(SIGN, request))).hasSize(1);
    }

    @Test
    void nonPumpOrdersAnswerAtOnceWithoutQueryingEvenAnUnreachableServer() {
        ObjectNode request = orderSign("p1", medicationRequest("m1", "105585", "methotrexate 2.5 mg oral tablet", "26643006"),
                resource("NutritionOrder", "n1"), resource("CommunicationRequest", "c1"),
                resource("VisionPrescription", "v1"), resource("MedicationOrder", "dstu2"));
        request.remove("prefetch");
        request.put("fhirServer", "https://unreachable.invalid/fhir");
        request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
        assertThat(cards(post(SIGN, request))).isEmpty();
    }

    @Test
    void pumpProceduresAndDevicesAreRecognisedWhateverTheHcpcsSpelling() {
        ObjectNode request = orderSign("p1", serviceRequest("sr1", CPT, "62362"),
                deviceRequest("d1", "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "E0786"),
                deviceRequest("d2", HCPCS, "E0250"),
                serviceRequest("sr2", "http://www.cms.gov/Medicare/Coding/ICD10", "0JH60VZ"));
        JsonNode cards = cards(post(SIGN, request));
        assertThat(cards).as("one payer card for the pump episode").hasSize(1);
        assertThat(cards.get(0).path("detail").asString())
                .contains("CPT 62362 Intrathecal/epidural programmable pump",
                        "HCPCS E0786 Implantable programmable infusion pump, replacement",
                        "ICD-10-PCS 0JH60VZ Infusion pump into chest subcutaneous tissue, open")
                .doesNotContain("E0250");
        assertThat(cards.get(0).path("extension").path("org.pumpcds.findings").get(0).path("ruleId").asString())
                .as("E0786 is a replacement").isEqualTo("cg-surg-79.replacement");
    }

    @Test
    void reSignedOrdersAreReadLikeDrafts() {
        ObjectNode order = serviceRequest("sr1", CPT, "62362");
        order.put("status", "active");
        assertThat(cards(post(SIGN, orderSign("p1", order)))).hasSize(1);
    }

    @Test
    void orderSelectLooksOnlyAtTheSelectedOrders() {
        ObjectNode request = orderSelect("p1", List.of("MedicationRequest/m1"),
                serviceRequest("sr1", CPT, "62362"), medicationRequest("m1", "29046", "lisinopril", "26643006"));
        assertThat(cards(post(SELECT, request))).isEmpty();
        ObjectNode selected = orderSelect("p1", List.of("ServiceRequest/sr1"), serviceRequest("sr1", CPT, "62362"));
        assertThat(cards(post(SELECT, selected))).hasSize(1);
    }

    @Test
    void intrathecalDrugIsAPumpDrugOnlyWithAPumpOrderedOrImplanted() {
        ObjectNode spinal = orderSign("p1", medicationRequest("m1", "1815", "bupivacaine (spinal anaesthetic)", "72607000"));
        assertThat(cards(post(SIGN, spinal))).as("a one-off intrathecal dose with no pump").isEmpty();

        ObjectNode implanted = orderSign("p1", medicationRequest("m1", "1292", "baclofen intrathecal", "72607000"));
        ((ObjectNode) implanted.get("prefetch")).set("devices", searchset(implantedPump("p1")));
        assertThat(cards(post(SIGN, implanted)).get(0).path("summary").asString()).contains("baclofen");

        ObjectNode withPump = orderSign("p1", medicationRequest("m1", "343048", "treprostinil", "47625008"),
                deviceRequest("d1", HCPCS, "C1772"));
        assertThat(cards(post(SIGN, withPump))).as("IV drug ordered with a pump").hasSize(2);
        ObjectNode ivAlone = orderSign("p1", medicationRequest("m1", "343048", "treprostinil", "47625008"));
        ((ObjectNode) ivAlone.get("prefetch")).set("devices", searchset(implantedPump("p1")));
        assertThat(cards(post(SIGN, ivAlone))).as("IV drug without a pump order").isEmpty();
    }

    @Test
    void patientIdWithTypePrefixIsRead() {
        ObjectNode request = pumpSign();
        ctx(request).put("patientId", "Patient/p1");
        assertThat(cards(post(SIGN, request))).hasSize(1);
    }

    @Test
    void aRepeatedHookInstanceIsAnsweredAgainNotRejected() {
        ObjectNode request = pumpSign();
        assertThat(cards(post(SIGN, request))).hasSize(1);
        assertThat(cards(post(SIGN, request))).hasSize(1);
    }
}
