package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.medicationRequest;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.resource;
import static org.pumpcds.support.Requests.searchset;
import static org.pumpcds.support.Requests.serviceRequest;

import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.CdsResponseAssertions;
import org.pumpcds.support.StubHttpServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 9: the rules follow references out of the orders and the record (the pump drug's Medication, the dispensing
 * pharmacy, attached evidence, the payer). With the record in prefetch, those reads are the only requests the EHR's
 * server gets; here it takes its time over each. The call must still answer within its one deadline, reading each
 * reference once.
 */
class SlowReferenceReadsIT extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String PATIENT = "slow-reads-patient";
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(2);
    /** Time past the deadline for evaluating, rendering and the HTTP round trip. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private static final String MEDICATION = "Medication/baclofen-compound";
    private static final String PHARMACY = "Organization/utah-pharmacy";
    private static final String EVIDENCE = "DocumentReference/pharmacy-evidence";
    private static final String PAYER = "Organization/arizona-payer";

    /** The EHR's resources the orders and the record reference, none of them shipped with the call. */
    private static final Map<String, String> EHR = Map.of(
            MEDICATION, """
                    {"resourceType": "Medication", "id": "baclofen-compound",
                     "code": {"text": "baclofen 1000 mcg/mL + clonidine 150 mcg/mL intrathecal"},
                     "ingredient": [{"itemCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                       "code": "1292", "display": "baclofen"}]}, "isActive": true,
                       "strength": {"numerator": {"value": 1000, "code": "ug", "system": "http://unitsofmeasure.org"},
                                    "denominator": {"value": 1, "code": "mL", "system": "http://unitsofmeasure.org"}}},
                      {"itemCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                       "code": "2599", "display": "clonidine"}]}, "isActive": true,
                       "strength": {"numerator": {"value": 150, "code": "ug", "system": "http://unitsofmeasure.org"},
                                    "denominator": {"value": 1, "code": "mL", "system": "http://unitsofmeasure.org"}}}]}""",
            PHARMACY, """
                    {"resourceType": "Organization", "id": "utah-pharmacy", "address": [{"state": "UT"}]}""",
            EVIDENCE, """
                    {"resourceType": "DocumentReference", "id": "pharmacy-evidence", "status": "current",
                     "subject": {"reference": "Patient/%s"}, "content": [{"attachment": {"contentType": "text/plain"}}]}"""
                    .formatted(PATIENT),
            PAYER, """
                    {"resourceType": "Organization", "id": "arizona-payer",
                     "identifier": [{"system": "https://pump-cds.github.io/fhir/sandbox-payer-id", "value": "bcbsaz"}]}""",
            "Observation/pain-score", """
                    {"resourceType": "Observation", "id": "pain-score", "status": "final",
                     "subject": {"reference": "Patient/%s"}, "code": {"text": "pain"}}""".formatted(PATIENT),
            "DocumentReference/another-patients-evidence", """
                    {"resourceType": "DocumentReference", "id": "another-patients-evidence", "status": "current",
                     "subject": {"reference": "Patient/someone-else"}, "content": [{"attachment": {"contentType": "text/plain"}}]}""");

    @DynamicPropertySource
    static void deadline(DynamicPropertyRegistry registry) {
        registry.add("pumpcds.fhir-query.call-deadline", () -> CALL_DEADLINE.toMillis() + "ms");
        // above the call deadline, so that the deadline, not the wait for one answer, is what bounds the reads
        registry.add("pumpcds.fhir-query.read-timeout", () -> "5s");
    }

    /** A compounded intrathecal refill whose drug, dispensing pharmacy and attached evidence are references. */
    private static ObjectNode refill(String pharmacy, String... evidence) {
        ObjectNode refill = medicationRequest("refill", "1292", "baclofen", "72607000");
        refill.remove("medicationCodeableConcept");
        refill.putObject("medicationReference").put("reference", MEDICATION);
        refill.putObject("subject").put("reference", "Patient/" + PATIENT);
        ObjectNode dispense = refill.putObject("dispenseRequest");
        dispense.putObject("expectedSupplyDuration").put("value", 60).put("code", "d").put("system", "http://unitsofmeasure.org");
        dispense.putObject("performer").put("reference", pharmacy);
        ArrayNode supporting = refill.putArray("supportingInformation");
        for (String document : evidence) {
            supporting.addObject().put("reference", document);
        }
        return refill;
    }

    /** A pump implant with the given other orders, for a patient whose Coverage references the payer. */
    private static ObjectNode implant(String fhirServer, ObjectNode... otherOrders) {
        ObjectNode[] orders = new ObjectNode[otherOrders.length + 1];
        orders[0] = serviceRequest("implant", CPT, "62362");
        System.arraycopy(otherOrders, 0, orders, 1, otherOrders.length);
        ObjectNode request = orderSign(PATIENT, orders);
        ObjectNode coverage = resource("Coverage", "coverage");
        coverage.put("status", "active");
        coverage.putObject("beneficiary").put("reference", "Patient/" + PATIENT);
        coverage.putArray("payor").addObject().put("reference", PAYER);
        ((ObjectNode) request.get("prefetch")).set("coverage", searchset(coverage));
        request.put("fhirServer", fhirServer);
        request.putObject("fhirAuthorization").put("access_token", "slow-reads-token").put("token_type", "Bearer")
                .put("scope", "patient/*.read").put("subject", "pump-cds-hooks");
        return request;
    }

    /** The cards of a 200 answer, timed from request to answer. */
    private record Answer(JsonNode cards, Duration took) {

        JsonNode card(String kind) {
            for (JsonNode card : cards) {
                if (kind.equals(card.path("extension").path("org.pumpcds.card").asString())) {
                    return card;
                }
            }
            throw new AssertionError("no " + kind + " card in " + cards);
        }

        /** "ruleId status" of each finding on the card of that kind. */
        List<String> findings(String kind) {
            List<String> findings = new ArrayList<>();
            card(kind).path("extension").path("org.pumpcds.findings")
                    .forEach(f -> findings.add(f.path("ruleId").asString() + " " + f.path("status").asString()));
            return findings;
        }
    }

    private static Answer call(ObjectNode request) {
        long start = System.nanoTime();
        Response response = post(SIGN, request);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode body = json(response);
        CdsResponseAssertions.assertValidResponse(body);
        return new Answer(body.get("cards"), took);
    }

    /** The first call of a fresh application loads classes and templates; that time is not the reads' to lose. */
    @BeforeEach
    void warmUp() {
        try (StubHttpServer ehr = StubHttpServer.slowReads(Duration.ZERO, EHR)) {
            call(implant(ehr.baseUrl(), refill(PHARMACY, EVIDENCE)));
        }
    }

    @Test
    void readsSlowerThanTheCallDeadlineEndAtItAndTheRulesSayNotDocumented() {
        try (StubHttpServer ehr = StubHttpServer.slowReads(Duration.ofSeconds(3), EHR)) {
            Answer answer = call(implant(ehr.baseUrl(), refill(PHARMACY, EVIDENCE)));

            assertThat(answer.took()).isLessThan(CALL_DEADLINE.plus(MARGIN));
            // nothing could be read: the default rules apply and the drug's documentation is missing
            assertThat(answer.findings("compounding")).contains("ma-2024-02.documentation not-documented");
            assertThat(answer.findings("coverage")).allMatch(finding -> finding.startsWith("cg-surg-79."));
            assertThat(answer.card("coverage").path("detail").asString()).contains("was not available to identify the payer");
            assertThat(ehr.requestsByPath()).isEqualTo(Map.of(MEDICATION, 1, PHARMACY, 1, EVIDENCE, 1, PAYER, 1));
        }
    }

    @Test
    void everyReferenceIsReadOnceAndConcurrentlySoItsDataReachesTheRulesInTime() {
        try (StubHttpServer ehr = StubHttpServer.slowReads(Duration.ofSeconds(1), EHR)) {
            Answer answer = call(implant(ehr.baseUrl(), refill(PHARMACY, EVIDENCE)));

            assertThat(answer.took()).isLessThan(CALL_DEADLINE.plus(MARGIN));
            // the pharmacy's state chose Utah's rules, the payer's identifier BCBS Arizona's policy; the drug and the
            // attached evidence were read
            assertThat(answer.findings("compounding")).anyMatch(finding -> finding.startsWith("ut-r156-17b-614a."))
                    .noneMatch(finding -> finding.startsWith("ma-2024-02."));
            assertThat(answer.findings("coverage")).isNotEmpty().allMatch(finding -> finding.startsWith("bcbsaz."));
            assertThat(answer.card("coverage").path("detail").asString()).contains("baclofen");
            assertThat(answer.card("compounding").toString()).contains(EVIDENCE);
            assertThat(ehr.requestsByPath()).isEqualTo(Map.of(MEDICATION, 1, PHARMACY, 1, EVIDENCE, 1, PAYER, 1));
        }
    }

    @Test
    void onlyRelativeReferencesOfTypesTheRulesReadAreFetchedAndOnlyThePatientsAreUsed() {
        try (StubHttpServer ehr = StubHttpServer.slowReads(Duration.ZERO, EHR);
             StubHttpServer elsewhere = StubHttpServer.slowReads(Duration.ZERO, EHR)) {
            // the token is for fhirServer only: a pharmacy named by absolute URL on another host is not read
            Answer answer = call(implant(ehr.baseUrl(), refill(elsewhere.baseUrl() + "/" + PHARMACY,
                    "Observation/pain-score", "DocumentReference/another-patients-evidence")));

            assertThat(elsewhere.requests()).isZero();
            assertThat(ehr.requestsByPath()).as("no Observation: the rules read none from supportingInformation")
                    .isEqualTo(Map.of(MEDICATION, 1, "DocumentReference/another-patients-evidence", 1, PAYER, 1));
            assertThat(answer.card("compounding").toString()).doesNotContain("another-patients-evidence");
            assertThat(answer.card("compounding").path("detail").asString()).contains("Left out of this evaluation: 1 resource(s)");
        }
    }

    @Test
    void theReferencesOfAnActivePumpDrugOnRecordAreReadToo() {
        try (StubHttpServer ehr = StubHttpServer.slowReads(Duration.ZERO, EHR)) {
            ObjectNode request = implant(ehr.baseUrl());
            ObjectNode onRecord = refill(PHARMACY, EVIDENCE).put("status", "active");
            ((ObjectNode) request.get("prefetch")).set("medicationRequests", searchset(onRecord));

            Answer answer = call(request);

            // with no drug ordered, the payer check classifies the therapy by the patient's active pump drug
            assertThat(answer.card("coverage").path("detail").asString()).contains("baclofen");
            assertThat(ehr.requestsByPath()).isEqualTo(Map.of(MEDICATION, 1, PHARMACY, 1, EVIDENCE, 1, PAYER, 1));
        }
    }
}
