package org.pumpcds.fhirjson;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.pumpcds.terminology.CodeSystems;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The JSON screens only save work: whatever the rule would accept on the parsed resource, the screen lets through. */
class CodedJsonTest {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final BiPredicate<String, String> TEMPERATURE =
            (system, code) -> CodeSystems.LOINC.equals(CodeSystems.canonical(system)) && "8310-5".equals(code);
    private static final Predicate<JsonNode> SCREEN = CodedJson.mayHaveCoding("code", TEMPERATURE);

    @Test
    void plainCodingsAreScreenedByValue() {
        assertThat(SCREEN.test(json("{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8310-5\"}]}}"))).isTrue();
        assertThat(SCREEN.test(json("{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]}}"))).isFalse();
        assertThat(SCREEN.test(json("{\"code\":{\"text\":\"temperature\"}}"))).isFalse();
        assertThat(SCREEN.test(json("{\"status\":\"final\"}"))).isFalse();
        assertThat(SCREEN.test(json("{\"code\":{\"coding\":[{\"system\":\"http://loinc.org/\",\"code\":\" 8310-5 \"}]}}")))
                .as("the rule's own test sees trimmed values").isTrue();
    }

    @Test
    void shapesTheScreenDoesNotKnowAreLetThrough() {
        for (String odd : List.of("{\"code\":\"8310-5\"}", "{\"code\":{\"coding\":{\"code\":\"8310-5\"}}}",
                "{\"code\":{\"coding\":[\"8310-5\"]}}", "{\"code\":{\"coding\":[{\"system\":1,\"code\":\"x\"}]}}",
                "{\"code\":{\"coding\":[{\"code\":83105}]}}")) {
            assertThat(SCREEN.test(json(odd))).as(odd).isTrue();
        }
    }

    @Test
    void aDottedPathGoesThroughArrays() {
        Predicate<JsonNode> route = CodedJson.mayHaveCoding("dosageInstruction.route",
                (system, code) -> CodeSystems.SNOMED.equals(CodeSystems.canonical(system)) && "72607000".equals(code));
        assertThat(route.test(json("""
                {"dosageInstruction":[{"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006"}]}},
                                      {"route":{"coding":[{"system":"http://snomed.info/sct","code":"72607000"}]}}]}"""))).isTrue();
        assertThat(route.test(json("""
                {"dosageInstruction":[{"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006"}]}}]}"""))).isFalse();
        assertThat(route.test(json("{\"dosageInstruction\":[{\"text\":\"daily\"}]}"))).isFalse();
        assertThat(route.test(json("{\"dosageInstruction\":[\"daily\"]}"))).isTrue();
    }

    @Test
    void aCodeElementMayEqualItsValueTrimmedOrAnyShapeItDoesNotKnow() {
        Predicate<JsonNode> active = CodedJson.mayEqual("status", "active");
        assertThat(active.test(json("{\"status\":\"active\"}"))).isTrue();
        assertThat(active.test(json("{\"status\":\" active\"}"))).isTrue();
        assertThat(active.test(json("{\"status\":\"stopped\"}"))).isFalse();
        assertThat(active.test(json("{}"))).isFalse();
        assertThat(active.test(json("{\"status\":1}"))).isTrue();
    }

    /** Every combination of spelling and shape: wherever the parsed Observation is a temperature, the screen says so. */
    @Test
    void neverScreensOutWhatTheRuleWouldAccept() {
        List<String> systems = List.of("\"http://loinc.org\"", "\"http://loinc.org/\"", "\" http://loinc.org \"", "\"HTTP://LOINC.ORG\"",
                "\"http://snomed.info/sct\"", "null", "1");
        List<String> codes = List.of("\"8310-5\"", "\" 8310-5\"", "\"8310-5 \"", "\"8310-6\"", "\"\"", "null", "83105");
        List<String> observations = new ArrayList<>();
        for (String system : systems) {
            for (String code : codes) {
                observations.add("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                        + system + ",\"code\":" + code + "}]}}");
            }
        }
        int accepted = 0;
        for (String text : observations) {
            JsonNode json = json(text);
            Observation parsed;
            try {
                parsed = (Observation) FhirJsonTree.parse(FhirContext.forR4Cached(), json);
            } catch (RuntimeException e) {
                continue; // refused as invalid prefetch before any rule runs
            }
            boolean rule = parsed.getCode().getCoding().stream().anyMatch(c -> TEMPERATURE.test(c.getSystem(), c.getCode()));
            if (rule) {
                accepted++;
                assertThat(SCREEN.test(json)).as(text).isTrue();
            }
        }
        assertThat(accepted).as("spellings the rule accepts").isGreaterThanOrEqualTo(4);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
