package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.CdsResponseAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The README's curl examples, replayed with the same request files. The no-prefetch example names the
 * sandbox at port 8080 as fhirServer; here it is pointed at this test's port.
 */
class ReadmeExamplesIT extends ApiTest {

    @Test
    void readmeNamesTheRequestFilesThisTestReplays() {
        String readme = read(Path.of("README.md"));
        assertThat(readme).contains("src/test/resources/readme/order-sign-with-prefetch.json",
                "src/test/resources/readme/order-sign-no-prefetch.json", "./mvnw spring-boot:run", "./mvnw -B verify");
    }

    @Test
    void orderSignWithPrefetchGivesThePayerCardAndTheCompoundingCard() {
        JsonNode body = json(post("/cds-services/pump-order-sign", fixture("readme/order-sign-with-prefetch.json"))
                .then().statusCode(200).extract().response());
        CdsResponseAssertions.assertValidResponse(body);
        assertThat(body.get("cards")).hasSize(2);
        assertThat(body.get("cards").get(0).path("source").path("label").asString()).isEqualTo("CG-SURG-79 Implantable Infusion Pumps");
        assertThat(body.get("cards").get(0).path("extension").toString())
                .contains("\"ruleId\":\"cg-surg-79.indication-e.trial\",\"status\":\"met\"");
        assertThat(body.get("cards").get(1).path("summary").asString()).startsWith("FDA-labeled use: Infumorph");
    }

    @Test
    void orderSignWithoutPrefetchQueriesTheSandboxAndFlagsTheUndocumentedMixture() {
        ObjectNode request = fixture("readme/order-sign-no-prefetch.json");
        assertThat(request.get("fhirServer").asString()).isEqualTo("http://localhost:8080/fhir");
        request.put("fhirServer", sandboxUrl());
        JsonNode body = json(post("/cds-services/pump-order-sign", request).then().statusCode(200).extract().response());
        CdsResponseAssertions.assertValidResponse(body);
        assertThat(body.get("cards")).hasSize(1);
        JsonNode card = body.get("cards").get(0);
        assertThat(card.path("indicator").asString()).isEqualTo("critical");
        assertThat(card.path("extension").path("org.pumpcds.findings").toString())
                .contains("\"ruleId\":\"ma-2024-02.documentation\",\"status\":\"unmet\"");
    }
}
