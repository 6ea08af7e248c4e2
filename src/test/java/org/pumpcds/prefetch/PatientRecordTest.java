package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.pumpcds.fhirjson.FhirJsonTree;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Prefetched resources are parsed only when a rule reads their type, only if they pass its screen, and once. */
class PatientRecordTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final AtomicInteger parsed = new AtomicInteger();

    @Test
    void aTypeNoRuleReadsIsNeverParsedAndAReadTypeIsParsedOnce() {
        PatientRecord record = record(observation("o1", "8310-5"), condition("c1"), condition("c2"));
        assertThat(parsed).hasValue(0);
        assertThat(record.all(Condition.class)).hasSize(2);
        assertThat(record.all(Condition.class)).hasSize(2);
        assertThat(record.find("Condition/c2")).isPresent();
        assertThat(parsed).as("two conditions, each parsed once; the observation never").hasValue(2);
    }

    @Test
    void aScreenedReadParsesOnlyWhatMayMatchAndTheRestLaterOnlyOnce() {
        PatientRecord record = record(observation("o1", "8310-5"), observation("o2", "8867-4"), observation("o3", "8310-5"));
        List<Observation> temperatures = record.all(Observation.class,
                json -> json.toString().contains("8310-5"));
        assertThat(temperatures).extracting(o -> o.getIdElement().getIdPart()).containsExactly("o1", "o3");
        assertThat(parsed).hasValue(2);
        assertThat(record.all(Observation.class)).hasSize(3);
        assertThat(parsed).hasValue(3);
    }

    @Test
    void aFactDerivedFromTheRecordIsComputedOncePerRecord() {
        PatientRecord record = record(observation("o1", "8310-5"));
        AtomicInteger computed = new AtomicInteger();
        Object key = new Object();
        assertThat((Integer) record.derived(key, computed::incrementAndGet)).isEqualTo(1);
        assertThat((Integer) record.derived(key, computed::incrementAndGet)).isEqualTo(1);
        assertThat((Integer) record(observation("o1", "8310-5")).derived(key, computed::incrementAndGet)).isEqualTo(2);
    }

    @Test
    void aResourceThatFailsTheCheckOnceParsedIsNeverRead() {
        PatientRecord.Item other = item(condition("c9")).keepingOnly(r -> false);
        PatientRecord record = PatientRecord.of(Map.of("conditions", List.of(other, item(condition("c1")))), Set.of(), 0);
        assertThat(record.all(Condition.class)).extracting(c -> c.getIdElement().getIdPart()).containsExactly("c1");
        assertThat(record.find("Condition/c9")).isEmpty();
    }

    @Test
    void duplicatesAcrossKeysCountOnceInKeyOrder() {
        Map<String, List<PatientRecord.Item>> byKey = new LinkedHashMap<>();
        byKey.put("first", List.of(item(condition("c1"))));
        byKey.put("second", List.of(item(condition("c1")), item(condition("c2"))));
        assertThat(PatientRecord.of(byKey, Set.of(), 0).all(Condition.class))
                .extracting(c -> c.getIdElement().getIdPart()).containsExactly("c1", "c2");
    }

    private PatientRecord record(JsonNode... resources) {
        return PatientRecord.of(Map.of("all", java.util.Arrays.stream(resources).map(this::item).toList()), Set.of(), 0);
    }

    private PatientRecord.Item item(JsonNode json) {
        return PatientRecord.Item.unparsed(json.get("resourceType").asString(), json, () -> {
            parsed.incrementAndGet();
            return (Resource) FhirJsonTree.parse(FHIR, json);
        });
    }

    private static JsonNode observation(String id, String loinc) {
        return JsonMapper.shared().readTree("{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\"}]},"
                + "\"subject\":{\"reference\":\"Patient/p1\"}}");
    }

    private static JsonNode condition(String id) {
        return JsonMapper.shared().readTree("{\"resourceType\":\"Condition\",\"id\":\"" + id + "\",\"subject\":{\"reference\":\"Patient/p1\"}}");
    }
}
