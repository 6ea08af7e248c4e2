package org.pumpcds.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.findings.Finding.Status.INFORMATION;
import static org.pumpcds.findings.Finding.Status.MET;
import static org.pumpcds.findings.Finding.Status.NOT_DOCUMENTED;
import static org.pumpcds.findings.Finding.Status.UNMET;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.pumpcds.findings.Evidence;
import org.pumpcds.findings.Finding;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.support.Knowledge;
import org.pumpcds.terminology.CodeSystems;

/** Each check kind on its own, at its boundaries: pure functions of a small record and their parameters. */
class CheckTest {

    private static final Check.Code ALARM = new Check.Code(CodeSystems.PUMP_CDS, "pump-eri-alarm");
    private static final Check.Code NO_SPREAD = new Check.Code(CodeSystems.PUMP_CDS, "extrahepatic-disease");
    /** Written 2026-11-20: every "recent" is counted back from it, so no assertion moves with the calendar. */
    private static final PumpOrder IMPLANT = new PumpOrder("ServiceRequest/implant", OrderKind.PROCEDURE,
            new ServiceRequest().setAuthoredOn(java.util.Date.from(java.time.Instant.parse("2026-11-20T10:00:00Z"))),
            new Coding(CodeSystems.CPT, "62362", null), "CPT 62362", false);

    private static CheckInput input(Therapy therapy, String rxcui, Resource... record) {
        return input(therapy, rxcui, Set.of(), record);
    }

    private static CheckInput input(Therapy therapy, String rxcui, Set<String> incomplete, Resource... record) {
        TherapyDrug drug = new TherapyDrug(therapy, null, therapy == Therapy.UNKNOWN ? null : "MedicationRequest/rx", "72607000",
                rxcui == null ? List.of() : List.of(new Coding(CodeSystems.RXNORM, rxcui, null)), "drug");
        PatientRecord patient = new PatientRecord(Map.of("all", Arrays.asList(record)), incomplete);
        return new CheckInput(new CoverageEvaluator.Episode(IMPLANT, drug, null, false),
                new PatientFacts(patient, Knowledge.valueSets(), Knowledge.stability().identities()), CheckInput.Matched.NONE,
                Knowledge.valueSets(), Knowledge.stability(), new CoverageSettings(List.of(), "cms", Duration.ofHours(72),
                        Duration.ofDays(7), 38.0, CoverageSettings.DEFAULT_ERI_ALARM_WINDOW));
    }

    private static Condition condition(String code) {
        Condition condition = new Condition();
        condition.setId("c-" + code);
        condition.setCode(new CodeableConcept(new Coding(CodeSystems.ICD10_CM, code, null)));
        return condition;
    }

    private static Observation flag(String id, Check.Code code, boolean value) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(code.system(), code.code(), null)));
        observation.setValue(new BooleanType(value));
        observation.setEffective(new DateTimeType("2026-10-01T00:00:00Z"));
        return observation;
    }

    private static MedicationStatement baclofen(String id, String status, boolean reason, String route) {
        MedicationStatement statement = new MedicationStatement();
        statement.setId(id);
        statement.setStatus(MedicationStatement.MedicationStatementStatus.fromCode(status));
        statement.setMedication(new CodeableConcept(new Coding(CodeSystems.RXNORM, "197391", null)));
        if (reason) {
            statement.addStatusReason().setText("no effect at 80 mg/day");
        }
        if (route != null) {
            statement.addDosage().setRoute(new CodeableConcept(new Coding(CodeSystems.SNOMED, route, null)));
        }
        return statement;
    }

    private static Finding.Status status(Optional<Check.Outcome> outcome) {
        return outcome.orElseThrow().status();
    }

    private static List<String> references(Optional<Check.Outcome> outcome) {
        return outcome.orElseThrow().evidence().stream().map(Evidence::reference).toList();
    }

    @Test
    void pumpDrugIsNotDocumentedOnlyWhenThereIsNoDrug() {
        assertThat(status(new Check.PumpDrug().evaluate(input(Therapy.UNKNOWN, null)))).isEqualTo(NOT_DOCUMENTED);
        assertThat(new Check.PumpDrug().evaluate(input(Therapy.NEURAXIAL_ANALGESIA, "7052"))).isEmpty();
    }

    @Test
    void aRecordedReductionCountsForItsOwnTrialOnly() {
        Check.Code trialCode = new Check.Code(CodeSystems.PUMP_CDS, "pump-trial");
        Check.Code reduction = new Check.Code(CodeSystems.PUMP_CDS, "trial-pain-reduction");
        Check.TrialReduction check = new Check.TrialReduction(trialCode, reduction, new Check.Code(CodeSystems.LOINC, "72514-3"), 50);
        org.hl7.fhir.r4.model.Procedure trial = new org.hl7.fhir.r4.model.Procedure();
        trial.setId("trial");
        trial.setCode(new CodeableConcept(new Coding(trialCode.system(), trialCode.code(), null)));
        trial.setPerformed(new DateTimeType("2026-10-20T08:00:00Z"));
        trial.addExtension(Trials.TRIAL_ROUTE, new CodeableConcept(new Coding(CodeSystems.SNOMED, "72607000", null)));
        Observation linked = percent("linked", reduction, 60, "2025-01-01T00:00:00Z");
        linked.addPartOf().setReference("Procedure/trial");
        assertThat(status(check.evaluate(input(Therapy.NEURAXIAL_ANALGESIA, null, trial, linked))))
                .as("linked to the trial: counts whenever recorded").isEqualTo(MET);
        assertThat(status(check.evaluate(input(Therapy.NEURAXIAL_ANALGESIA, null, trial, percent("during", reduction, 60, "2026-10-20T14:00:00Z")))))
                .as("linked to no trial, recorded during this one").isEqualTo(MET);
        assertThat(status(check.evaluate(input(Therapy.NEURAXIAL_ANALGESIA, null, trial, percent("old", reduction, 70, "2024-03-05T12:00:00Z")))))
                .as("linked to no trial, recorded long before it: not this trial's").isEqualTo(NOT_DOCUMENTED);
    }

    private static Observation percent(String id, Check.Code code, double value, String when) {
        Observation observation = new Observation();
        observation.setId(id);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(code.system(), code.code(), null)));
        observation.setValue(new Quantity(value).setUnit("%"));
        observation.setEffective(new DateTimeType(when));
        return observation;
    }

    @Test
    void allDiagnosesNamesWhatIsMissing() {
        Check.AllDiagnoses both = new Check.AllDiagnoses(List.of(new Check.AllDiagnoses.Required("colorectal-cancer-primary", "primary CRC"),
                new Check.AllDiagnoses.Required("liver-metastases", "liver metastases")));
        assertThat(status(both.evaluate(input(Therapy.OTHER, null, condition("C18.7"), condition("C78.7"))))).isEqualTo(MET);
        Optional<Check.Outcome> half = both.evaluate(input(Therapy.OTHER, null, condition("C78.7")));
        assertThat(status(half)).isEqualTo(UNMET);
        assertThat(half.orElseThrow().facts()).containsEntry("missing", "primary CRC");
        Condition provisional = condition("C78.7");
        provisional.getVerificationStatus().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status",
                "provisional", null));
        Optional<Check.Outcome> unconfirmed = both.evaluate(input(Therapy.OTHER, null, condition("C18.7"), provisional));
        assertThat(status(unconfirmed)).as("a provisional diagnosis is not yet an indication").isEqualTo(NOT_DOCUMENTED);
        assertThat(unconfirmed.orElseThrow().facts().get("note").toString()).contains("recorded as provisional");
    }

    @Test
    void documentedAbsenceNeedsTheAbsenceRecordedAndASpreadDiagnosisWins() {
        Check.DocumentedAbsence check = new Check.DocumentedAbsence("extrahepatic-metastases", NO_SPREAD, "none", "not documented");
        assertThat(status(check.evaluate(input(Therapy.OTHER, null)))).isEqualTo(NOT_DOCUMENTED);
        assertThat(status(check.evaluate(input(Therapy.OTHER, null, flag("o", NO_SPREAD, false))))).isEqualTo(MET);
        assertThat(status(check.evaluate(input(Therapy.OTHER, null, flag("o", NO_SPREAD, true))))).as("disease recorded, not absence")
                .isEqualTo(NOT_DOCUMENTED);
        assertThat(status(check.evaluate(input(Therapy.OTHER, null, flag("o", NO_SPREAD, false), condition("C78.0"))))).isEqualTo(UNMET);
    }

    @Test
    void recordedFindingReadsYesNoAndSilence() {
        Check.Code histology = new Check.Code(CodeSystems.PUMP_CDS, "epithelial-histology");
        Check.RecordedFinding check = new Check.RecordedFinding(histology, "recorded", "not recorded");
        assertThat(status(check.evaluate(input(Therapy.OTHER, null, flag("h", histology, true))))).isEqualTo(MET);
        assertThat(status(check.evaluate(input(Therapy.OTHER, null, flag("h", histology, false))))).isEqualTo(UNMET);
        assertThat(status(check.evaluate(input(Therapy.OTHER, null)))).isEqualTo(NOT_DOCUMENTED);
    }

    @Test
    void medicationFailureCountsOnlyAStopWithAReasonByTheRoute() {
        Check.MedicationFailure oral = new Check.MedicationFailure("drug-baclofen", "route-oral", List.of("197391"), "oral baclofen",
                "baclofen", "no oral baclofen history", true);
        assertThat(status(oral.evaluate(input(Therapy.INTRATHECAL_BACLOFEN, "1292", baclofen("m", "stopped", true, null))))).isEqualTo(MET);
        Optional<Check.Outcome> noReason = oral.evaluate(input(Therapy.INTRATHECAL_BACLOFEN, "1292", baclofen("m", "stopped", false, null)));
        assertThat(status(noReason)).isEqualTo(NOT_DOCUMENTED);
        assertThat(references(noReason)).containsExactly("MedicationStatement/m");
        assertThat(status(oral.evaluate(input(Therapy.INTRATHECAL_BACLOFEN, "1292", baclofen("m", "stopped", true, "72607000")))))
                .as("an intrathecal use is not an oral one").isEqualTo(NOT_DOCUMENTED);
        for (String neverBegun : List.of("not-taken", "intended")) {
            assertThat(status(oral.evaluate(input(Therapy.INTRATHECAL_BACLOFEN, "1292", baclofen("m", neverBegun, true, null)))))
                    .as("a use that never began is no failure, whatever reason it records").isEqualTo(NOT_DOCUMENTED);
        }
    }

    @Test
    void priorMedicationNeedsTheRouteAndAUseThatWasGiven() {
        Check.PriorMedication prior = new Check.PriorMedication("drug-baclofen", "route-oral", "baclofen", "none");
        assertThat(status(prior.evaluate(input(Therapy.OTHER, null, baclofen("m", "completed", false, "26643006"))))).isEqualTo(MET);
        assertThat(status(prior.evaluate(input(Therapy.OTHER, null, baclofen("m", "not-taken", false, "26643006"))))).isEqualTo(NOT_DOCUMENTED);
        assertThat(status(prior.evaluate(input(Therapy.OTHER, null, baclofen("m", "entered-in-error", false, "26643006")))))
                .isEqualTo(NOT_DOCUMENTED);
        assertThat(status(prior.evaluate(input(Therapy.OTHER, null, baclofen("m", "completed", false, null))))).isEqualTo(NOT_DOCUMENTED);
    }

    @Test
    void replacementNeedsAMalfunctionOrAnAlarmAndTheAlarmIsDated() {
        Check.ReplacementReason reason = new Check.ReplacementReason("pump-malfunction", ALARM);
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null)))).isEqualTo(UNMET);
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, condition("T85.615A"))))).isEqualTo(MET);
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, flag("eri", ALARM, true))))).isEqualTo(MET);
        for (String notThePump : List.of("T85.612A", "T85.613A", "T85.611A", "T85.614A")) { // sutures, skin graft, dialysis catheter, insulin pump
            assertThat(status(reason.evaluate(input(Therapy.OTHER, null, condition(notThePump))))).as(notThePump).isEqualTo(UNMET);
        }
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, flag("eri", ALARM, false))))).as("an alarm recorded as off").isEqualTo(UNMET);
        Observation atTheWindowsEdge = flag("eri", ALARM, true);
        atTheWindowsEdge.setEffective(new DateTimeType("2026-08-22T10:00:00Z")); // 90 days before the order
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, atTheWindowsEdge)))).isEqualTo(MET);
        Observation stale = flag("eri", ALARM, true);
        stale.setEffective(new DateTimeType("2026-08-22T09:59:59Z"));
        Optional<Check.Outcome> old = reason.evaluate(input(Therapy.OTHER, null, stale));
        assertThat(status(old)).as("older than the window, naming no device").isEqualTo(NOT_DOCUMENTED);
        assertThat(old.orElseThrow().evidence().get(0).summary()).contains("more than 90 days before the order");
        assertThat(new Check.AlarmDate(ALARM).evaluate(input(Therapy.OTHER, null, stale))).as("no scheduling note for it").isEmpty();
        Condition provisional = condition("T85.610A");
        provisional.getVerificationStatus().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status",
                "provisional", null));
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, provisional)))).as("a provisional malfunction")
                .isEqualTo(NOT_DOCUMENTED);
        Observation ofAnotherDevice = flag("eri", ALARM, true);
        ofAnotherDevice.getDevice().setReference("Device/explanted");
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, ofAnotherDevice)))).as("a device not in place").isEqualTo(NOT_DOCUMENTED);
        org.hl7.fhir.r4.model.Device pacemaker = new org.hl7.fhir.r4.model.Device();
        pacemaker.setId("explanted");
        pacemaker.setStatus(org.hl7.fhir.r4.model.Device.FHIRDeviceStatus.ACTIVE);
        pacemaker.setType(new CodeableConcept(new Coding(CodeSystems.SNOMED, "14106009", "Cardiac pacemaker")));
        assertThat(status(reason.evaluate(input(Therapy.OTHER, null, pacemaker, ofAnotherDevice))))
                .as("an active device that is not an implanted pump").isEqualTo(NOT_DOCUMENTED);
        assertThat(new Check.AlarmDate(ALARM).evaluate(input(Therapy.OTHER, null))).isEmpty();
        assertThat(new Check.AlarmDate(ALARM).evaluate(input(Therapy.OTHER, null, flag("eri", ALARM, true))).orElseThrow().facts())
                .containsEntry("alarmDate", "2026-10-01");
    }

    @Test
    void informationCitesWhatItNamesAndNotesItsPresence() {
        Check.Information note = new Check.Information("substance-use-disorder", "Substance use on record.");
        Optional<Check.Outcome> cited = note.evaluate(input(Therapy.OTHER, null, condition("F11.20")));
        assertThat(status(cited)).isEqualTo(INFORMATION);
        assertThat(cited.orElseThrow().facts()).containsEntry("note", "Substance use on record.");
        assertThat(note.evaluate(input(Therapy.OTHER, null)).orElseThrow().facts()).isEmpty();
    }

    @Test
    void observationsNoteSaysNothingWhenNothingIsRecorded() {
        Check.ObservationsNote note = new Check.ObservationsNote(List.of(new Check.ObservationsNote.Named(CodeSystems.PUMP_CDS,
                "modified-ashworth", "Ashworth")));
        assertThat(note.evaluate(input(Therapy.OTHER, null))).isEmpty();
        Observation ashworth = flag("a", new Check.Code(CodeSystems.PUMP_CDS, "modified-ashworth"), true);
        ashworth.setValue(new Quantity(3));
        assertThat(references(note.evaluate(input(Therapy.OTHER, null, ashworth)))).containsExactly("Observation/a");
    }

    @Test
    void aContraindicatingDiagnosisIsNeverMetByItsAbsence() {
        Check.ContraindicatingDiagnosis infection = new Check.ContraindicatingDiagnosis("infection", false, "none recorded");
        assertThat(status(infection.evaluate(input(Therapy.OTHER, null)))).isEqualTo(NOT_DOCUMENTED);
        assertThat(status(infection.evaluate(input(Therapy.OTHER, null, condition("A41.9"))))).isEqualTo(UNMET);
        Condition resolved = condition("F20.9");
        resolved.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved", null)));
        assertThat(status(new Check.ContraindicatingDiagnosis("psychosis", true, "none").evaluate(input(Therapy.OTHER, null, resolved))))
                .as("a history counts").isEqualTo(UNMET);
        assertThat(status(new Check.ContraindicatingDiagnosis("psychosis", false, "none").evaluate(input(Therapy.OTHER, null, resolved))))
                .isEqualTo(NOT_DOCUMENTED);
        Condition differential = condition("F29");
        differential.getVerificationStatus().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/condition-ver-status",
                "differential", null));
        Optional<Check.Outcome> tentative = new Check.ContraindicatingDiagnosis("psychosis", true, "none")
                .evaluate(input(Therapy.OTHER, null, differential));
        assertThat(status(tentative)).as("a differential diagnosis still contraindicates").isEqualTo(UNMET);
        assertThat(tentative.orElseThrow().evidence().get(0).summary()).as("and the card says it is differential")
                .endsWith("(recorded as differential)");
    }

    private static Observation temperature(double celsius) {
        Observation observation = new Observation();
        observation.setId("t");
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding(CodeSystems.LOINC, "8310-5", null)));
        observation.setValue(new Quantity().setValue(celsius).setUnit("Cel").setCode("Cel").setSystem("http://unitsofmeasure.org"));
        observation.setEffective(new DateTimeType("2026-11-19T10:00:00Z")); // the day before the order
        return observation;
    }

    @Test
    void noSignsOfInfectionIsMetOnlyWithATemperatureTakenAndCompleteLists() {
        Check.InfectionSigns signs = new Check.InfectionSigns("fever", "drug-antibacterial");
        assertThat(status(signs.evaluate(input(Therapy.OTHER, null, temperature(37.0))))).isEqualTo(MET);
        assertThat(status(signs.evaluate(input(Therapy.OTHER, null)))).as("no temperature taken").isEqualTo(NOT_DOCUMENTED);
        assertThat(status(signs.evaluate(input(Therapy.OTHER, null, Set.of("conditions"), temperature(37.0))))).isEqualTo(NOT_DOCUMENTED);
        assertThat(status(signs.evaluate(input(Therapy.OTHER, null, temperature(38.0))))).as("at the threshold").isEqualTo(UNMET);
        assertThat(status(signs.evaluate(input(Therapy.OTHER, null, condition("R50.9"))))).isEqualTo(UNMET);
    }

    @Test
    void clinicianConfirmationIsAlwaysLeftToTheClinician() {
        assertThat(status(new Check.ClinicianConfirmation(new Check.Code(CodeSystems.LOINC, "29463-7"))
                .evaluate(input(Therapy.OTHER, null)))).isEqualTo(NOT_DOCUMENTED);
    }

    @Test
    void anIntoleranceIsANoteAndOnlyForTheDrug() {
        org.hl7.fhir.r4.model.AllergyIntolerance sedation = new org.hl7.fhir.r4.model.AllergyIntolerance();
        sedation.setId("ai");
        sedation.setType(org.hl7.fhir.r4.model.AllergyIntolerance.AllergyIntoleranceType.INTOLERANCE);
        sedation.setCode(new CodeableConcept(new Coding(CodeSystems.RXNORM, "1292", null)));
        assertThat(status(new Check.DrugIntolerance().evaluate(input(Therapy.INTRATHECAL_BACLOFEN, "1292", sedation)))).isEqualTo(INFORMATION);
        assertThat(new Check.DrugIntolerance().evaluate(input(Therapy.NEURAXIAL_ANALGESIA, "7052", sedation))).isEmpty();
        assertThat(status(new Check.DrugAllergy().evaluate(input(Therapy.INTRATHECAL_BACLOFEN, "1292", sedation))))
                .as("an intolerance is not the allergy").isEqualTo(MET);
    }
}
