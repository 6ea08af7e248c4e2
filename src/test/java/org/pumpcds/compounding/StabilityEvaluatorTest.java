package org.pumpcds.compounding;

import org.pumpcds.preparation.PumpPreparation;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pumpcds.preparation.PumpPreparation.AttachedEvidence;
import org.pumpcds.preparation.PumpPreparation.PreparedIngredient;
import org.pumpcds.findings.Finding;
import org.pumpcds.knowledge.ConcentrationRange;
import org.pumpcds.knowledge.Ingredient;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.support.Knowledge;
import org.pumpcds.knowledge.PumpModel;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.knowledge.StabilityRecord;

/** Each element check and the labeled-use decision, just inside and just outside its limit, on the real knowledge. */
class StabilityEvaluatorTest {

    private static StabilityKnowledge knowledge;
    private static StabilityEvaluator evaluator;
    private static PolicyKnowledge policies;
    private static PumpModel synchromed;
    private static PumpModel prometraII;

    @BeforeAll
    static void load() throws IOException {
        knowledge = Knowledge.stability();
        policies = Knowledge.policies();
        evaluator = new StabilityEvaluator(knowledge, policies, Knowledge.valueSets(),
                new CompoundingSettings(Duration.ofDays(7), 37, "MA", 38.0));
        synchromed = knowledge.pump("synchromed-ii").orElseThrow();
        prometraII = knowledge.pump("prometra-ii").orElseThrow();
    }

    private static PreparedIngredient ziconotide(double mcgPerMl) {
        return new PreparedIngredient("68503", "ziconotide", null, mcgPerMl / 1000, true);
    }

    private static PumpPreparation prep(List<PreparedIngredient> actives, List<String> diluents, PumpModel pump, Double plannedDays,
            boolean firstFill, Double maxTemp, StabilityRecord attached) {
        return new PumpPreparation("MedicationRequest/1", new MedicationRequest(), "order", actives, diluents, "72607000", pump,
                null, plannedDays, plannedDays == null ? null : "test", firstFill, maxTemp, maxTemp == null ? null : "Observation/t",
                "MA", attached == null ? List.of() : List.of(new AttachedEvidence("DocumentReference/e", attached, null)));
    }

    private static Finding.Status status(List<Finding> findings, String rule) {
        return findings.stream().filter(f -> f.ruleId().equals(rule)).map(Finding::status).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " in " + findings));
    }

    private static StabilityRecord record(double temperatureC, double days, double minMg, double maxMg) {
        return new StabilityRecord("lab", "direct-testing", List.of(
                new Ingredient("3423", "hydromorphone", null, new ConcentrationRange(minMg, maxMg, "mg/mL")),
                new Ingredient("2599", "clonidine", null, new ConcentrationRange(0.05, 0.2, "mg/mL"))),
                null, new StabilityRecord.Container("implantable-pump", "SynchroMed II", null), temperatureC, days, 95.0,
                "ok", "Lab report 1", null, "last passing day", List.of(), null, List.of());
    }

    private static List<PreparedIngredient> mix(double hydromorphoneMg) {
        return List.of(new PreparedIngredient("3423", "hydromorphone", null, hydromorphoneMg, true),
                new PreparedIngredient("2599", "clonidine", null, 0.1, true));
    }

    @Test
    void prialtIsLabeledOnlyAtItsStrengthsInItsPumps() {
        assertThat(evaluator.labelCheck(prep(List.of(ziconotide(25)), List.of(), synchromed, 80.0, false, null, null)).labeled()).isTrue();
        assertThat(evaluator.labelCheck(prep(List.of(ziconotide(100)), List.of(), synchromed, 80.0, false, null, null)).labeled()).isTrue();
        assertThat(evaluator.labelCheck(prep(List.of(ziconotide(25.1)), List.of(), synchromed, 80.0, false, null, null)).labeled()).isFalse();
        assertThat(evaluator.labelCheck(prep(List.of(ziconotide(25)), List.of(), prometraII, 80.0, false, null, null)).labeled()).isFalse();
        var diluted = evaluator.labelCheck(prep(List.of(ziconotide(5)), List.of("sodium chloride 0.9% preservative-free"), synchromed,
                30.0, false, null, null));
        assertThat(diluted.labeled()).isTrue();
        assertThat(diluted.diluted()).isTrue();
        assertThat(evaluator.labelCheck(prep(List.of(ziconotide(5)), List.of("dextrose 5%"), synchromed, 30.0, false, null, null))
                .labeled()).as("diluent the label does not allow").isFalse();
    }

    @Test
    void prometraLabelsBaclofenOnlyFrom500To2000() {
        PreparedIngredient at500 = new PreparedIngredient("1292", "baclofen", null, 0.5, true);
        PreparedIngredient at50 = new PreparedIngredient("1292", "baclofen", null, 0.05, true);
        assertThat(evaluator.labelCheck(prep(List.of(at500), List.of(), prometraII, 60.0, false, null, null)).labeled()).isTrue();
        assertThat(evaluator.labelCheck(prep(List.of(at50), List.of(), prometraII, 60.0, false, null, null)).labeled()).isFalse();
        assertThat(evaluator.labelCheck(prep(List.of(at50), List.of(), synchromed, 60.0, false, null, null)).labeled()).isTrue();
    }

    @Test
    void labeledRefillLimitsAtTheirBoundaries() {
        String rule = "pump-drug-labeling.refill-interval";
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(25)), List.of(), synchromed, 84.0, false, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(25)), List.of(), synchromed, 84.1, false, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.UNMET);
        List<String> saline = List.of("sodium chloride 0.9% preservative-free");
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(5)), saline, synchromed, 40.0, false, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(5)), saline, synchromed, 41.0, false, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.UNMET);
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(25)), List.of(), synchromed, 14.0, true, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(25)), List.of(), synchromed, 15.0, true, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.UNMET);
        assertThat(status(evaluator.evaluate(prep(List.of(ziconotide(25)), List.of(), synchromed, null, false, null, null), policies.policy("ma-2024-02")), rule))
                .isEqualTo(Finding.Status.NOT_DOCUMENTED);
    }

    @Test
    void durationCoversThePlannedIntervalOrNot() {
        StabilityRecord ninety = record(37, 90, 5, 20);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 90.0, false, 37.0, ninety), policies.policy("ma-2024-02")),
                "ma-2024-02.duration")).isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 90.5, false, 37.0, ninety), policies.policy("ma-2024-02")),
                "ma-2024-02.duration")).isEqualTo(Finding.Status.UNMET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, null, false, 37.0, ninety), policies.policy("ma-2024-02")),
                "ma-2024-02.duration")).isEqualTo(Finding.Status.NOT_DOCUMENTED);
    }

    @Test
    void temperatureMustReachBodyTemperatureAndAFeverMustNotExceedTheTest() {
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, null, record(36.9, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.temperature")).isEqualTo(Finding.Status.UNMET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, null, record(37, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.temperature")).isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, 37.0, record(37, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.fever")).isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, 37.9, record(37, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.fever")).as("37.9 °C is above the test but no fever (threshold 38.0)").isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, 38.0, record(37, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.fever")).isEqualTo(Finding.Status.UNMET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, 39.0, record(40, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.fever")).as("a fever within the tested temperature").isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, null, record(37, 90, 5, 20)), policies.policy("ma-2024-02")),
                "ma-2024-02.fever")).as("silence is not absence of fever").isEqualTo(Finding.Status.NOT_DOCUMENTED);
    }

    @Test
    void concentrationsAtTheEndsOfTheTestedRangeAreCovered() {
        StabilityRecord range = record(37, 90, 5, 20);
        assertThat(status(evaluator.evaluate(prep(mix(5), List.of(), synchromed, 60.0, false, null, range), policies.policy("ma-2024-02")),
                "ma-2024-02.concentration")).isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(20), List.of(), synchromed, 60.0, false, null, range), policies.policy("ma-2024-02")),
                "ma-2024-02.concentration")).isEqualTo(Finding.Status.MET);
        assertThat(status(evaluator.evaluate(prep(mix(20.01), List.of(), synchromed, 60.0, false, null, range), policies.policy("ma-2024-02")),
                "ma-2024-02.concentration")).isEqualTo(Finding.Status.UNMET);
        assertThat(status(evaluator.evaluate(prep(mix(4.99), List.of(), synchromed, 60.0, false, null, range), policies.policy("ma-2024-02")),
                "ma-2024-02.concentration")).isEqualTo(Finding.Status.UNMET);
    }

    @Test
    void aStudyOfSomePairingsCoversOnlyThosePairings() {
        StabilityRecord range = record(37, 90, 5, 20);
        StabilityRecord pairs = new StabilityRecord(range.id(), range.evidenceType(), range.ingredients(), null, range.container(),
                37.0, 90.0, 95.0, "ok", "Lab report 1", null, "last passing day", List.of(), null,
                List.of(java.util.Map.of("hydromorphone", 5.0, "clonidine", 0.2), java.util.Map.of("hydromorphone", 20.0, "clonidine", 0.1)));
        List<Finding> tested = evaluator.evaluate(prep(mix(20), List.of(), synchromed, 60.0, false, null, pairs), policies.policy("ma-2024-02"));
        assertThat(tested.stream().filter(f -> f.ruleId().equals("ma-2024-02.concentration")).map(Finding::status))
                .containsOnly(Finding.Status.MET);
        List<Finding> between = evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, null, pairs), policies.policy("ma-2024-02"));
        assertThat(between.stream().filter(f -> f.ruleId().equals("ma-2024-02.concentration")).map(Finding::status))
                .as("each inside its range, but not a pairing the study tested").containsOnly(Finding.Status.UNMET);
    }

    @Test
    void noEvidenceIsCriticalAndUnconfirmedConcentrationsNeverCount() {
        // baclofen + clonidine matches a published study whose concentrations are unconfirmed: not documentation
        List<PreparedIngredient> baclofenClonidine = List.of(new PreparedIngredient("1292", "baclofen", null, 1.0, true),
                new PreparedIngredient("2599", "clonidine", null, 0.15, true));
        List<Finding> findings = evaluator.evaluate(prep(baclofenClonidine, List.of(), synchromed, 90.0, false, null, null), policies.policy("ma-2024-02"));
        assertThat(status(findings, "ma-2024-02.documentation")).isEqualTo(Finding.Status.UNMET);
        assertThat(findings.get(0).indicator().code()).isEqualTo("critical");
    }

    @Test
    void utahAddsTheBeyondUseDateMethod() {
        StabilityRecord noMethod = new StabilityRecord("lab", "direct-testing", record(37, 90, 5, 20).ingredients(), null,
                new StabilityRecord.Container("implantable-pump", "SynchroMed II", null), 37.0, 90.0, 95.0, "ok", "Lab report 1",
                null, null, List.of(), null, List.of());
        List<Finding> utah = evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, null, noMethod), policies.policy("ut-r156-17b-614a"));
        assertThat(status(utah, "ut-r156-17b-614a.bud-method")).isEqualTo(Finding.Status.UNMET);
        List<Finding> massachusetts = evaluator.evaluate(prep(mix(10), List.of(), synchromed, 60.0, false, null, noMethod), policies.policy("ma-2024-02"));
        assertThat(massachusetts).noneMatch(f -> f.ruleId().endsWith(".bud-method"));
    }

    @Test
    void pumpNamesAreMatchedAsWholeWords() {
        assertThat(knowledge.identifyPump("SynchroMed II 20 mL")).contains(synchromed);
        assertThat(knowledge.identifyPump("SynchroMed III").map(PumpModel::id)).contains("synchromed-iii");
        assertThat(knowledge.identifyPump("8637-40")).contains(synchromed);
        assertThat(knowledge.identifyPump("Prometra II").map(PumpModel::id)).contains("prometra-ii");
        assertThat(knowledge.identifyPump("Acme pump")).isEmpty();
    }
}
