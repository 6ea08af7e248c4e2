package org.pumpcds.sandbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import tools.jackson.databind.JsonNode;

/** The embedded FHIR sandbox answers metadata, reads and the searches the prefetch templates use, filters applied. */
class SandboxIT extends ApiTest {

    private JsonNode get(String query) {
        return JSON.readTree(given().urlEncodingEnabled(false).accept("application/fhir+json")
                .get(sandboxUrl() + "/" + query.replace("|", "%7C")).then().statusCode(200).extract().asString());
    }

    private static List<String> ids(JsonNode bundle) {
        List<String> ids = new ArrayList<>();
        bundle.path("entry").forEach(e -> ids.add(e.path("resource").path("id").asString()));
        return ids;
    }

    @Test
    void servesMetadataAndReads() {
        assertThat(get("metadata").path("resourceType").asString()).isEqualTo("CapabilityStatement");
        assertThat(get("Patient/pump-new-implant").path("birthDate").asString()).isEqualTo("1968-03-14");
        given().get(sandboxUrl() + "/Patient/does-not-exist").then().statusCode(404);
    }

    @Test
    void appliesPatientStatusCodeAndTypeFilters() {
        assertThat(ids(get("Condition?patient=pump-new-implant")))
                .containsExactlyInAnyOrder("pump-new-implant-fbss", "pump-new-implant-cps");
        assertThat(ids(get("Device?patient=pump-compounded-refill&status=active"))).containsExactly("pump-compounded-refill-pump");
        assertThat(ids(get("Device?patient=pump-compounded-refill&status=inactive"))).isEmpty();
        assertThat(ids(get("Observation?patient=pump-new-implant&code=http://loinc.org|29463-7"))).containsExactly("pump-new-implant-weight");
        assertThat(ids(get("Observation?patient=pump-new-implant&code=http://snomed.info/sct|29463-7"))).isEmpty();
        assertThat(ids(get("Coverage?patient=no-pump&status=active"))).containsExactly("no-pump-coverage");
        assertThat(ids(get("MedicationRequest?patient=pump-new-implant"))).isEmpty();
    }

    @Test
    void sortsByDateAndPagesWithCount() {
        assertThat(ids(get("Observation?patient=pump-new-implant&code=http://loinc.org|72514-3&_sort=-date")))
                .containsExactly("pump-new-implant-nrs-after", "pump-new-implant-nrs-before");
        assertThat(ids(get("Observation?patient=pump-new-implant&code=http://loinc.org|72514-3&_sort=date")))
                .containsExactly("pump-new-implant-nrs-before", "pump-new-implant-nrs-after");
        JsonNode page = get("Observation?patient=pump-new-implant&_count=1");
        assertThat(ids(page)).hasSize(1);
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("link").toString()).contains("\"next\"");
    }
}
