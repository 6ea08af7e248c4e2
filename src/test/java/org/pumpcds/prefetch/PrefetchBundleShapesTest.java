package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.pumpcds.engine.PumpServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prefetch read entry by entry must read as the whole Bundle always did: the ids fullUrl gives, references between
 * entries, and pagination or failure said in an unusual shape.
 */
class PrefetchBundleShapesTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final PrefetchResolver resolver = new PrefetchResolver(FHIR, null, Duration.ofSeconds(2));

    private PatientRecord resolve(String key, String value) {
        // every other key answered "no data" (null), so only this one is in question
        String others = PumpServices.PREFETCH.stream().map(PrefetchTemplate::key).filter(k -> !k.equals(key))
                .map(k -> "\"" + k + "\":null,").collect(java.util.stream.Collectors.joining());
        JsonNode prefetch = JsonMapper.shared().readTree("{" + others + "\"" + key + "\":" + value + "}");
        return resolver.resolve(PumpServices.PREFETCH, prefetch, FhirAccess.none(), Map.of("patientId", "p1"),
                resolver.startDeadline());
    }

    @Test
    void aMedicationRequestSeesTheMedicationItNamesInTheSameBundle() {
        PatientRecord record = resolve("medicationRequests", """
                {"resourceType":"Bundle","type":"searchset","entry":[
                 {"fullUrl":"https://ehr.example/fhir/MedicationRequest/mr1","resource":{"resourceType":"MedicationRequest",
                  "id":"mr1","status":"active","intent":"order","subject":{"reference":"Patient/p1"},
                  "medicationReference":{"reference":"Medication/vanc"}}},
                 {"fullUrl":"https://ehr.example/fhir/Medication/vanc","resource":{"resourceType":"Medication","id":"vanc",
                  "code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"11124"}]}}}]}""");
        MedicationRequest request = record.all(MedicationRequest.class).get(0);
        assertThat(request.getMedicationReference().getResource()).isInstanceOf(Medication.class);
    }

    @Test
    void anotherPatientsPatientResourceIsNotThisPatientsBecauseOfItsFullUrl() {
        PatientRecord record = resolve("patient", """
                {"resourceType":"Bundle","type":"searchset","entry":[
                 {"fullUrl":"https://ehr.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"other","birthDate":"1950-01-01"}}]}""");
        assertThat(record.all(Patient.class)).isEmpty();
        assertThat(record.excludedOtherPatients()).isEqualTo(1);
    }

    @Test
    void entriesGetTheIdsTheWholeBundleGivesThem() {
        String bundle = """
                {"resourceType":"Bundle","type":"searchset","entry":[
                 {"fullUrl":"urn:uuid:9d1c7f0e-0000-4000-8000-000000000001","resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}},
                 {"fullUrl":"urn:uuid:c2","resource":{"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"}}},
                 {"fullUrl":"https://ehr.example/fhir/Condition/c3","resource":{"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/p1"}}},
                 {"fullUrl":"https://ehr.example/fhir/Condition/x","resource":{"resourceType":"Condition","id":"c4","subject":{"reference":"Patient/p1"}}},
                 {"fullUrl":"https://ehr.example/fhir/Condition/c5","resource":{"resourceType":"Condition","subject":{"reference":"Patient/p1"}}},
                 {"resource":{"resourceType":"Condition","id":"c6","subject":{"reference":"Patient/p1"}}}]}""";
        List<String> ids = resolve("conditions", bundle).all(Condition.class).stream().map(c -> c.getIdElement().getValue()).toList();
        org.hl7.fhir.r4.model.Bundle whole = (org.hl7.fhir.r4.model.Bundle) FHIR.newJsonParser().parseResource(bundle);
        assertThat(ids).containsExactlyElementsOf(whole.getEntry().stream().map(e -> e.getResource().getIdElement().getValue()).toList());
    }

    @Test
    void aNextLinkOrAnErrorSentAsAnObjectStillCounts() {
        String paged = """
                {"resourceType":"Bundle","type":"searchset","link":{"relation":"next","url":"https://ehr.example/fhir/Condition?page=2"},
                 "entry":[{"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}}]}""";
        String failed = """
                {"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"OperationOutcome",
                 "issue":{"severity":"error","code":"exception"}}}]}""";
        for (String value : List.of(paged, failed)) {
            try {
                resolve("conditions", value);
                org.assertj.core.api.Assertions.fail("read as complete: " + value);
            } catch (PrefetchUnavailableException e) {
                assertThat(e.getMessage()).contains("conditions");
            }
        }
    }
}
