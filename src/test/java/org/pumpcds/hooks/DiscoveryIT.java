package org.pumpcds.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import tools.jackson.databind.JsonNode;

/** Discovery (checklist D-1..D-8, P-1..P-6). */
class DiscoveryIT extends ApiTest {

    private static final Pattern TOKEN = Pattern.compile("\\{\\{([^}]*)}}");

    private JsonNode discovery() {
        return json(given().get("/cds-services").then().statusCode(200)
                .contentType("application/json").extract().response());
    }

    @Test
    void listsOneServicePerHookWithRequiredFields() {
        JsonNode services = discovery().get("services");
        assertThat(services).hasSize(2);
        Map<String, String> hookById = new java.util.HashMap<>();
        for (JsonNode service : services) {
            assertThat(service.path("id").asString()).matches("[a-z0-9-]+");
            assertThat(service.path("description").asString()).isNotBlank();
            assertThat(service.path("title").asString()).isNotBlank();
            hookById.put(service.get("id").asString(), service.get("hook").asString());
        }
        assertThat(hookById).containsEntry("pump-order-select", "order-select").containsEntry("pump-order-sign", "order-sign");
    }

    @Test
    void prefetchTemplatesCoverWhatTheRulesReadWithValidTokensAndSyntax() {
        for (JsonNode service : discovery().get("services")) {
            JsonNode prefetch = service.get("prefetch");
            List<String> types = new ArrayList<>();
            for (Map.Entry<String, JsonNode> entry : prefetch.properties()) {
                String template = entry.getValue().asString();
                types.add(template.split("[/?]")[0]);
                Matcher tokens = TOKEN.matcher(template);
                while (tokens.find()) {
                    assertThat(tokens.group(1)).isIn("context.patientId", "context.userId", "context.encounterId");
                }
                assertThat(template).doesNotContain("sort:desc").doesNotContain(" ").matches("[A-Z][A-Za-z]+[/?].*");
            }
            assertThat(types).contains("Patient", "Condition", "MedicationRequest", "MedicationStatement",
                    "AllergyIntolerance", "Observation", "Procedure", "Device", "Coverage", "DocumentReference");
            String observations = prefetch.get("observations").asString();
            assertThat(observations).contains("_sort=-date", "72514-3", "8310-5", "29463-7");
            // history needs stopped and completed medications too: no status filter on medication templates
            assertThat(prefetch.get("medicationRequests").asString()).doesNotContain("status=");
            assertThat(prefetch.get("medicationStatements").asString()).doesNotContain("status=");
        }
    }

    @Test
    void everyAdvertisedTemplateRunsAgainstTheSandbox() {
        for (Map.Entry<String, JsonNode> entry : discovery().get("services").get(0).get("prefetch").properties()) {
            String url = sandboxUrl() + "/" + entry.getValue().asString().replace("{{context.patientId}}", "pump-new-implant");
            given().urlEncodingEnabled(false).get(url.replace("|", "%7C")).then().statusCode(200);
        }
    }
}
