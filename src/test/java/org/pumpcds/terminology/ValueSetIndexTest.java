package org.pumpcds.terminology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueSetIndexTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String URL = "https://example.org/ValueSet/test";

    private static ValueSetIndex index(String compose) {
        String json = "{\"resourceType\":\"ValueSet\",\"url\":\"" + URL + "\",\"status\":\"active\",\"compose\":" + compose + "}";
        return ValueSetIndex.load(FHIR, List.of(new ValueSetIndex.Source("test.json",
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void matchesEnumeratedCodesUnderEveryHcpcsSpelling() {
        ValueSetIndex index = index("{\"include\":[{\"system\":\"" + CodeSystems.HCPCS + "\",\"concept\":[{\"code\":\"E0783\"}]}]}");
        assertThat(index.contains(URL, "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "E0783")).isTrue();
        assertThat(index.contains(URL, "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "E0783")).isTrue();
        assertThat(index.contains(URL, "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets/", "E0783")).isTrue();
        assertThat(index.contains(URL, "https://bluebutton.cms.gov/resources/codesystem/hcpcs", "E0783")).isTrue();
        assertThat(index.contains(URL, CodeSystems.CPT, "E0783")).as("same code, other system").isFalse();
        assertThat(index.contains(URL, CodeSystems.HCPCS, "E0786")).isFalse();
    }

    @Test
    void isAFilterMatchesTheCodeAndItsChildrenByPrefix() {
        ValueSetIndex index = index("{\"include\":[{\"system\":\"" + CodeSystems.ICD10_CM
                + "\",\"filter\":[{\"property\":\"concept\",\"op\":\"is-a\",\"value\":\"G35\"}]}]}");
        assertThat(index.contains(URL, CodeSystems.ICD10_CM, "G35")).as("legacy G35, before FY2026").isTrue();
        assertThat(index.contains(URL, CodeSystems.ICD10_CM, "G35.A")).as("FY2026 child").isTrue();
        assertThat(index.contains(URL, CodeSystems.ICD10_CM, "G36.0")).isFalse();
        assertThat(index.contains(URL, CodeSystems.ICD10_CM, "")).isFalse();
    }

    @Test
    void descendentOfExcludesTheParentItself() {
        ValueSetIndex index = index("{\"include\":[{\"system\":\"" + CodeSystems.ICD10_CM
                + "\",\"filter\":[{\"property\":\"concept\",\"op\":\"descendent-of\",\"value\":\"C22\"}]}]}");
        assertThat(index.contains(URL, CodeSystems.ICD10_CM, "C22")).isFalse();
        assertThat(index.contains(URL, CodeSystems.ICD10_CM, "C22.0")).isTrue();
    }

    @Test
    void unsupportedFiltersAndMissingUrlsFailNamingTheFile() {
        assertThatThrownBy(() -> index("{\"include\":[{\"system\":\"s\",\"filter\":[{\"property\":\"x\",\"op\":\"regex\",\"value\":\"y\"}]}]}"))
                .hasMessageContaining("test.json").hasMessageContaining("unsupported filter");
        assertThatThrownBy(() -> ValueSetIndex.load(FHIR, List.of(new ValueSetIndex.Source("nourl.json",
                new ByteArrayInputStream("{\"resourceType\":\"ValueSet\",\"status\":\"active\"}".getBytes(StandardCharsets.UTF_8))))))
                .hasMessageContaining("nourl.json");
    }
}
