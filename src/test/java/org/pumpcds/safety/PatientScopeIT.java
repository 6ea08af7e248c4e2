package org.pumpcds.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.StubHttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Another patient's record must never count as this patient's evidence. The order is the README's pump implant for
 * {@code no-pump} (no qualifying diagnosis, no trial); the data offered is {@code pump-new-implant}'s (failed back
 * surgery syndrome, a successful trial), first as prefetch, then from a FHIR server that answers every query with
 * that other patient's resources. Either way the cards must read exactly as they do when the EHR answers every
 * prefetch key with "no data", and say that data was left out.
 */
class PatientScopeIT extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String PATIENT = "no-pump";
    private static final String OTHER = "pump-new-implant";

    private ObjectNode implantOrder() {
        ObjectNode request = fixture("readme/order-sign-with-prefetch.json");
        ((ObjectNode) request.get("context")).put("patientId", PATIENT);
        request.remove("prefetch");
        request.put("fhirServer", sandboxUrl());
        request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
        return request;
    }

    /** The cards of a 200 answer. */
    /** The cards for the order when the EHR says the patient has no data at all. */
    private JsonNode nothingOnRecord() {
        ObjectNode request = implantOrder();
        ObjectNode prefetch = request.putObject("prefetch");
        org.pumpcds.support.Requests.PREFETCH_KEYS.forEach(prefetch::putNull);
        prefetch.set("patient", JSON.readTree("{\"resourceType\":\"Patient\",\"id\":\"" + PATIENT + "\"}"));
        return cards(post(SIGN, request));
    }

    private static JsonNode cards(Response response) {
        response.then().statusCode(200);
        JsonNode cards = json(response).get("cards");
        assertThat(cards).isNotEmpty();
        return cards;
    }

    /** Every card's indicator and every finding's rule, status and indicator, in order. */
    private static List<String> findings(JsonNode cards) {
        List<String> out = new ArrayList<>();
        for (JsonNode card : cards) {
            out.add("card " + card.path("indicator").asString());
            card.path("extension").path("org.pumpcds.findings")
                    .forEach(f -> out.add(f.path("ruleId").asString() + " " + f.path("status").asString() + " " + f.path("indicator").asString()));
        }
        return out;
    }

    private static void assertSaysLeftOut(JsonNode cards, boolean leftOut) {
        for (JsonNode card : cards) {
            if (leftOut) {
                assertThat(card.path("detail").asString()).contains("Left out of this evaluation");
            } else {
                assertThat(card.path("detail").asString()).doesNotContain("Left out of this evaluation");
            }
        }
    }

    @Test
    void anotherPatientsPrefetchIsLeftOutAndSaidSo() {
        JsonNode own = nothingOnRecord();
        ObjectNode foreign = implantOrder();
        foreign.set("prefetch", prefetchFromSandbox(SIGN, OTHER));
        JsonNode answered = cards(post(SIGN, foreign));
        assertThat(findings(answered)).isEqualTo(findings(own));
        assertSaysLeftOut(answered, true);
        assertSaysLeftOut(own, false);
    }

    @Test
    void aFhirServerAnsweringWithAnotherPatientsResourcesIsLeftOutToo() {
        JsonNode own = nothingOnRecord();
        try (StubHttpServer lying = StubHttpServer.forwarding(sandboxUrl(),
                query -> query.replace("patient=" + PATIENT, "patient=" + OTHER).replace("Patient/" + PATIENT, "Patient/" + OTHER))) {
            ObjectNode request = implantOrder();
            request.put("fhirServer", lying.baseUrl());
            JsonNode answered = cards(post(SIGN, request));
            assertThat(findings(answered)).isEqualTo(findings(own));
            assertSaysLeftOut(answered, true);
        }
    }
}
