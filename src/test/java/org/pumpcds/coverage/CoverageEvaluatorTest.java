package org.pumpcds.coverage;

import org.pumpcds.support.Knowledge;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pumpcds.preparation.PumpPreparation;
import org.pumpcds.preparation.PumpPreparation.PreparedIngredient;
import org.pumpcds.findings.Finding;
import org.pumpcds.knowledge.KnowledgeFile;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;

/** Each kind of payer criterion at its boundary, on the real policy files, code sets and knowledge. */
class CoverageEvaluatorTest {

    private static CoverageEvaluator evaluator;
    private static final PumpOrder IMPLANT = new PumpOrder("ServiceRequest/implant", OrderKind.PROCEDURE, new ServiceRequest(),
            new Coding(CodeSystems.CPT, "62362", null), "CPT 62362", false);

    @BeforeAll
    static void load() {
        evaluator = new CoverageEvaluator(Knowledge.policies(), Knowledge.stability(), Knowledge.valueSets(), new CoverageSettings(List.of(), "cg-surg-79", Duration.ofHours(72), Duration.ofDays(7), 38.0,
                CoverageSettings.DEFAULT_ERI_ALARM_WINDOW));
    }

    private static TherapyDrug drug(Therapy therapy, String route, String rxcui) {
        return new TherapyDrug(therapy, new MedicationRequest(), "MedicationRequest/rx", route,
                rxcui == null ? List.of() : List.of(new Coding(CodeSystems.RXNORM, rxcui, null)), "drug");
    }

    private static List<Finding> evaluate(String policy, TherapyDrug drug, PumpPreparation preparation, Resource... record) {
        return evaluator.evaluate(policy, new CoverageEvaluator.Episode(IMPLANT, drug, preparation, false),
                new PatientRecord(Map.of("all", List.of(record)), java.util.Set.of()));
    }

    private static Optional<Finding.Status> status(List<Finding> findings, String rule) {
        return findings.stream().filter(f -> f.ruleId().equals(rule)).map(Finding::status).findFirst();
    }

    private static Condition condition(String code) {
        Condition condition = new Condition();
        condition.setId("c-" + code);
        condition.setCode(new CodeableConcept(new Coding(CodeSystems.ICD10_CM, code, null)));
        return condition;
    }

    private static Procedure trial(String route) {
        Procedure trial = new Procedure();
        trial.setId("trial");
        trial.setStatus(Procedure.ProcedureStatus.COMPLETED);
        trial.setCode(new CodeableConcept(new Coding(CodeSystems.PUMP_CDS, "pump-trial", null)));
        trial.addExtension(Trials.TRIAL_ROUTE, new CodeableConcept(new Coding(CodeSystems.SNOMED, route, null)));
        trial.setPerformed(new DateTimeType("2026-10-20T09:00:00Z"));
        return trial;
    }

    private static Observation pain(String id, double score, String when) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(CodeSystems.LOINC, "72514-3", null)));
        observation.setEffective(new DateTimeType(when));
        observation.setValue(new Quantity(score));
        return observation;
    }

    private static Observation lifeExpectancy(double value, String unit) {
        Observation observation = new Observation();
        observation.setId("le");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(CodeSystems.PUMP_CDS, "life-expectancy", null)));
        observation.setEffective(new DateTimeType("2026-11-01T00:00:00Z"));
        observation.setValue(new Quantity().setValue(value).setCode(unit));
        return observation;
    }

    private static Optional<Finding.Status> trialWith(double before, double after) {
        return status(evaluate("cg-surg-79", drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052"), null,
                condition("G89.4"), trial("72607000"), pain("pre", before, "2026-10-20T08:30:00Z"),
                pain("post", after, "2026-10-20T14:00:00Z")), "cg-surg-79.indication-e.trial");
    }

    @Test
    void aTrialNeedsStrictlyMoreThanHalfThePainGone() {
        assertThat(trialWith(8, 4)).as("exactly 50%").contains(Finding.Status.UNMET);
        assertThat(trialWith(8, 3.99)).as("just over 50%").contains(Finding.Status.MET);
        assertThat(trialWith(10, 5)).contains(Finding.Status.UNMET);
    }

    @Test
    void aTrialByAnotherRouteDoesNotCountAndNoScoresIsNotDocumented() {
        assertThat(status(evaluate("cg-surg-79", drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052"), null,
                condition("G89.4"), trial("404820008"), pain("pre", 8, "2026-10-20T08:30:00Z"), pain("post", 1, "2026-10-20T14:00:00Z")),
                "cg-surg-79.indication-e.trial")).contains(Finding.Status.UNMET);
        assertThat(status(evaluate("cg-surg-79", drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052"), null,
                condition("G89.4"), trial("72607000")), "cg-surg-79.indication-e.trial")).contains(Finding.Status.NOT_DOCUMENTED);
        // a score after the trial window (72 h from a trial without an end time) does not count
        assertThat(status(evaluate("cg-surg-79", drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052"), null,
                condition("G89.4"), trial("72607000"), pain("pre", 8, "2026-10-20T08:30:00Z"), pain("late", 1, "2026-10-24T09:00:00Z")),
                "cg-surg-79.indication-e.trial")).contains(Finding.Status.NOT_DOCUMENTED);
    }

    @Test
    void lifeExpectancyOfThreeMonthsOrLessDrawsTheWarningAndSilenceDrawsNothing() {
        TherapyDrug morphine = drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052");
        assertThat(status(evaluate("cg-surg-79", morphine, null, lifeExpectancy(3, "mo")), "cg-surg-79.life-expectancy"))
                .contains(Finding.Status.UNMET);
        assertThat(status(evaluate("cg-surg-79", morphine, null, lifeExpectancy(3.1, "mo")), "cg-surg-79.life-expectancy"))
                .contains(Finding.Status.MET);
        assertThat(status(evaluate("cg-surg-79", morphine, null, lifeExpectancy(13, "wk")), "cg-surg-79.life-expectancy"))
                .as("13 weeks is under 3 months").contains(Finding.Status.UNMET);
        assertThat(status(evaluate("cg-surg-79", morphine, null), "cg-surg-79.life-expectancy")).isEmpty();
    }

    @Test
    void diagnosesMatchByPrefixAcrossCodeSetVersions() {
        TherapyDrug baclofen = drug(Therapy.INTRATHECAL_BACLOFEN, "72607000", "1292");
        assertThat(status(evaluate("cg-surg-79", baclofen, null, condition("G35")), "cg-surg-79.indication-c.origin")).contains(Finding.Status.MET);
        assertThat(status(evaluate("cg-surg-79", baclofen, null, condition("G35.A")), "cg-surg-79.indication-c.origin")).contains(Finding.Status.MET);
        assertThat(status(evaluate("cg-surg-79", baclofen, null, condition("R25.2")), "cg-surg-79.indication-c.origin"))
                .as("a symptom code does not establish origin").contains(Finding.Status.UNMET);
        TherapyDrug fudr = drug(Therapy.HEPATIC_ARTERIAL_CHEMOTHERAPY, "58100008", null);
        assertThat(status(evaluate("cg-surg-79", fudr, null, condition("C22.0")), "cg-surg-79.indication-a")).contains(Finding.Status.MET);
        assertThat(status(evaluate("cg-surg-79", fudr, null, condition("C22.9")), "cg-surg-79.indication-a"))
                .as("primary vs secondary unspecified").contains(Finding.Status.NOT_DOCUMENTED);
    }

    @Test
    void bcbsazAcceptsOnlyDrugsLabeledForTheRoute() {
        TherapyDrug morphine = drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052");
        PumpPreparation infumorph = preparation(List.of(new PreparedIngredient("7052", "morphine", "sulfate", 25.0, true)));
        PumpPreparation stronger = preparation(List.of(new PreparedIngredient("7052", "morphine", "sulfate", 30.0, true)));
        PumpPreparation saltUnstated = preparation(List.of(new PreparedIngredient("7052", "morphine", null, 25.0, true)));
        assertThat(status(evaluate("bcbsaz", morphine, saltUnstated), "bcbsaz.fda-route"))
                .as("Infumorph is morphine sulfate: an order naming neither salt nor product is not shown to be it")
                .contains(Finding.Status.NOT_DOCUMENTED);
        PumpPreparation named = new PumpPreparation("MedicationRequest/rx", new MedicationRequest(), "Infumorph 25 mg/mL",
                saltUnstated.actives(), List.of(), "72607000", null, null, null, null, false, null, null, null, List.of());
        assertThat(status(evaluate("bcbsaz", morphine, named), "bcbsaz.fda-route")).as("the order names the product")
                .contains(Finding.Status.MET);
        PumpPreparation hydrochloride = preparation(List.of(new PreparedIngredient("7052", "morphine", "hydrochloride", 25.0, true)));
        assertThat(status(evaluate("bcbsaz", morphine, hydrochloride), "bcbsaz.fda-route")).as("another salt is another product")
                .contains(Finding.Status.UNMET);
        PumpPreparation mixture = preparation(List.of(new PreparedIngredient("7052", "morphine", null, 10.0, true),
                new PreparedIngredient("2599", "clonidine", null, 0.1, true)));
        assertThat(status(evaluate("bcbsaz", morphine, infumorph), "bcbsaz.fda-route")).contains(Finding.Status.MET);
        assertThat(status(evaluate("bcbsaz", morphine, stronger), "bcbsaz.fda-route")).contains(Finding.Status.UNMET);
        assertThat(status(evaluate("bcbsaz", morphine, mixture), "bcbsaz.fda-route")).contains(Finding.Status.UNMET);
        TherapyDrug epiduralMorphine = drug(Therapy.NEURAXIAL_ANALGESIA, "404820008", "7052");
        assertThat(status(evaluate("bcbsaz", epiduralMorphine, infumorph), "bcbsaz.fda-route")).contains(Finding.Status.MET);
    }

    @Test
    void nothingFoundInACutShortListIsNotEvidenceOfAbsence() {
        TherapyDrug morphine = drug(Therapy.NEURAXIAL_ANALGESIA, "72607000", "7052");
        List<Finding> complete = evaluator.evaluate("cms", new CoverageEvaluator.Episode(IMPLANT, morphine, null, false),
                new PatientRecord(Map.of("devices", List.of()), java.util.Set.of()));
        List<Finding> cutShort = evaluator.evaluate("cms", new CoverageEvaluator.Episode(IMPLANT, morphine, null, false),
                new PatientRecord(Map.of("devices", List.of()), java.util.Set.of("devices", "allergies")));
        assertThat(status(complete, "cms.crosstalk")).contains(Finding.Status.MET);
        assertThat(status(cutShort, "cms.crosstalk")).contains(Finding.Status.NOT_DOCUMENTED);
        assertThat(status(complete, "cms.allergy")).contains(Finding.Status.MET);
        assertThat(status(cutShort, "cms.allergy")).contains(Finding.Status.NOT_DOCUMENTED);
    }

    @Test
    void namedExclusionsAreCritical() {
        List<Finding> insulin = evaluate("cg-surg-79", drug(Therapy.INSULIN, "38239002", "51428"), null, condition("E10.65"));
        assertThat(insulin).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("cg-surg-79.insulin");
            assertThat(f.indicator().code()).isEqualTo("critical");
        });
        List<Finding> heparin = evaluate("bcbsaz", drug(Therapy.HEPARIN, "47625008", "5224"), null, condition("I74.3"));
        assertThat(status(heparin, "bcbsaz.experimental")).contains(Finding.Status.UNMET);
    }

    @Test
    void payerPolicyComesFromTheCoverageOrTheDefault() {
        PayerPolicySelector selector = new PayerPolicySelector(new CoverageSettings(
                List.of(new CoverageSettings.PayerMapping("https://payers.example/id", "az-1", null, "bcbsaz"),
                        new CoverageSettings.PayerMapping(null, null, "medicare-part-b", "cms")), "cg-surg-79", Duration.ofHours(72), Duration.ofDays(7), 38.0,
                CoverageSettings.DEFAULT_ERI_ALARM_WINDOW));
        Coverage coverage = new Coverage();
        coverage.setId("cov");
        coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
        coverage.addPayor(new Reference().setIdentifier(new Identifier().setSystem("https://payers.example/id").setValue("az-1")));
        PolicyChoice mapped = selector.choose(new PatientRecord(Map.of("coverage", List.of(coverage)), java.util.Set.of()), r -> Optional.empty());
        assertThat(mapped.policyId()).isEqualTo("bcbsaz");
        assertThat(mapped.defaulted()).isFalse();
        coverage.setStatus(Coverage.CoverageStatus.CANCELLED);
        PolicyChoice inactive = selector.choose(new PatientRecord(Map.of("coverage", List.of(coverage)), java.util.Set.of()), r -> Optional.empty());
        assertThat(inactive.policyId()).isEqualTo("cg-surg-79");
        assertThat(inactive.defaulted()).isTrue();
        Coverage byPlan = new Coverage();
        byPlan.setId("plan");
        byPlan.setStatus(Coverage.CoverageStatus.ACTIVE);
        byPlan.addClass_().setValue("medicare-part-b");
        assertThat(selector.choose(new PatientRecord(Map.of("coverage", List.of(byPlan)), java.util.Set.of()), r -> Optional.empty())
                .policyId()).isEqualTo("cms");
    }

    @Test
    void aPayerNamedOnlyByAnOrganizationThatCannotBeReadIsSaidSo() {
        PayerPolicySelector selector = new PayerPolicySelector(new CoverageSettings(List.of(), "cg-surg-79", Duration.ofHours(72), Duration.ofDays(7), 38.0,
                CoverageSettings.DEFAULT_ERI_ALARM_WINDOW));
        Coverage coverage = new Coverage();
        coverage.setId("cov");
        coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
        coverage.addPayor(new Reference("Organization/payer-medicare"));
        PolicyChoice choice = selector.choose(new PatientRecord(Map.of("coverage", List.of(coverage)), java.util.Set.of()), r -> Optional.empty());
        assertThat(choice.defaulted()).isTrue();
        assertThat(choice.payer()).isEqualTo("Organization/payer-medicare (its Organization record was not available to identify the payer)");
    }

    private static PumpPreparation preparation(List<PreparedIngredient> actives) {
        return new PumpPreparation("MedicationRequest/rx", new MedicationRequest(), "drug", actives, List.of(), "72607000", null,
                null, null, null, false, null, null, null, List.of());
    }
}
