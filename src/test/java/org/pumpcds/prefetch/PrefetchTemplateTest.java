package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrefetchTemplateTest {

    @Test
    void rendersTokensUrlEncodedAndKnowsReadsFromSearches() {
        PrefetchTemplate search = new PrefetchTemplate("c", "Condition?patient={{context.patientId}}", true);
        assertThat(search.render(Map.of("patientId", "a b&c"))).contains("Condition?patient=a+b%26c");
        assertThat(search.isRead()).isFalse();
        assertThat(search.resourceType()).isEqualTo("Condition");
        PrefetchTemplate read = new PrefetchTemplate("p", "Patient/{{context.patientId}}", true);
        assertThat(read.isRead()).isTrue();
        assertThat(read.render(Map.of("patientId", "123"))).contains("Patient/123");
        PrefetchTemplate two = new PrefetchTemplate("o", "Observation?subject={{context.patientId}}&encounter={{context.encounterId}}&_count=50", false);
        assertThat(two.render(Map.of("patientId", "p/1", "encounterId", "e1")))
                .contains("Observation?subject=p%2F1&encounter=e1&_count=50");
    }

    @Test
    void aMissingContextValueLeavesTheTemplateUnrendered() {
        PrefetchTemplate byEncounter = new PrefetchTemplate("e", "Encounter/{{context.encounterId}}", false);
        assertThat(byEncounter.render(Map.of("patientId", "1"))).isEmpty();
    }

    @Test
    void rejectsTemplatesThatAreNeitherReadNorSearch() {
        assertThatThrownBy(() -> new PrefetchTemplate("x", "http://other/Patient/1", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PrefetchTemplate("x", "Patient", true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fhirAccessNeverPrintsTheToken() {
        assertThat(FhirAccess.of("https://ehr.example.org/fhir", "secret-123").toString()).doesNotContain("secret-123");
    }
}
