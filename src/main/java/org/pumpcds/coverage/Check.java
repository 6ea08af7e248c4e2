package org.pumpcds.coverage;

import static org.pumpcds.findings.Finding.Status.INFORMATION;
import static org.pumpcds.findings.Finding.Status.MET;
import static org.pumpcds.findings.Finding.Status.NOT_DOCUMENTED;
import static org.pumpcds.findings.Finding.Status.UNMET;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.pumpcds.preparation.PumpPreparation;
import org.pumpcds.coverage.PatientFacts.MedicationUse;
import org.pumpcds.findings.Evidence;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.ProposedAction;
import org.pumpcds.knowledge.LabeledProduct;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSets;
import org.pumpcds.vitals.BodyTemperatures;

/**
 * The closed vocabulary of payer and label checks. A policy file gives each criterion one check, by {@code kind},
 * with typed parameters (value-set ids, codes, thresholds); {@code knowledge/schema/policy.schema.json} lists the same
 * kinds and parameters for editors and validates every file at start-up. Each check is a pure function of the
 * episode, the patient's record and the knowledge; it answers the criterion's finding, or nothing when the criterion
 * says nothing about this record (a note with nothing to note).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Check.PumpDrug.class, name = "pump-drug"),
        @JsonSubTypes.Type(value = Check.ExcludedUse.class, name = "excluded-use"),
        @JsonSubTypes.Type(value = Check.Diagnosis.class, name = "diagnosis"),
        @JsonSubTypes.Type(value = Check.AllDiagnoses.class, name = "all-diagnoses"),
        @JsonSubTypes.Type(value = Check.DocumentedAbsence.class, name = "documented-absence"),
        @JsonSubTypes.Type(value = Check.RecordedFinding.class, name = "recorded-finding"),
        @JsonSubTypes.Type(value = Check.MedicationFailure.class, name = "medication-failure"),
        @JsonSubTypes.Type(value = Check.PriorMedication.class, name = "prior-medication"),
        @JsonSubTypes.Type(value = Check.TrialReduction.class, name = "trial-reduction"),
        @JsonSubTypes.Type(value = Check.ObservationLimit.class, name = "observation-limit"),
        @JsonSubTypes.Type(value = Check.ReplacementReason.class, name = "replacement-reason"),
        @JsonSubTypes.Type(value = Check.AlarmDate.class, name = "alarm-date"),
        @JsonSubTypes.Type(value = Check.Information.class, name = "information"),
        @JsonSubTypes.Type(value = Check.ObservationsNote.class, name = "observations-note"),
        @JsonSubTypes.Type(value = Check.LabeledForRoute.class, name = "labeled-for-route"),
        @JsonSubTypes.Type(value = Check.DrugAllergy.class, name = "drug-allergy"),
        @JsonSubTypes.Type(value = Check.DrugIntolerance.class, name = "drug-intolerance"),
        @JsonSubTypes.Type(value = Check.ContraindicatingDiagnosis.class, name = "contraindicating-diagnosis"),
        @JsonSubTypes.Type(value = Check.InfectionSigns.class, name = "infection-signs"),
        @JsonSubTypes.Type(value = Check.ClinicianConfirmation.class, name = "clinician-confirmation"),
        @JsonSubTypes.Type(value = Check.AbsentOnRecord.class, name = "absent-on-record")})
public sealed interface Check {

    /** What a check concludes: becomes the criterion's finding (indicator, citation and template from the policy). */
    record Outcome(Finding.Status status, List<Evidence> evidence, Map<String, Object> facts, List<ProposedAction> actions) {

        static Optional<Outcome> of(Finding.Status status, List<Evidence> evidence) {
            return Optional.of(new Outcome(status, evidence, Map.of(), List.of()));
        }

        static Optional<Outcome> of(Finding.Status status, List<Evidence> evidence, Map<String, Object> facts) {
            return Optional.of(new Outcome(status, evidence, facts, List.of()));
        }
    }

    /** A code a check looks for (an Observation or Procedure code), by system URL and code. */
    record Code(String system, String code) {

        boolean loinc() {
            return CodeSystems.LOINC.equals(system);
        }
    }

    /**
     * The facts every check of each kind may give its template, beside the criterion's own (title, needs, section,
     * unmetSummary) and the episode's ({@code drug}). The template lint holds templates to these; the interpreter
     * refuses a fact a kind did not declare.
     */
    Map<String, Set<String>> FACTS = Map.ofEntries(
            Map.entry("pump-drug", Set.of()),
            Map.entry("excluded-use", Set.of("ruling", "use")),
            Map.entry("diagnosis", Set.of("note")),
            Map.entry("all-diagnoses", Set.of("missing")),
            Map.entry("documented-absence", Set.of()),
            Map.entry("recorded-finding", Set.of()),
            Map.entry("medication-failure", Set.of()),
            Map.entry("prior-medication", Set.of()),
            Map.entry("trial-reduction", Set.of("plannedRoute", "trialRoute", "otherRoute", "percent", "before", "after",
                    "threshold")),
            Map.entry("observation-limit", Set.of("value", "limit", "unit")),
            Map.entry("replacement-reason", Set.of()),
            Map.entry("alarm-date", Set.of("alarmDate")),
            Map.entry("information", Set.of("note")),
            Map.entry("observations-note", Set.of()),
            Map.entry("labeled-for-route", Set.of("admixture")),
            Map.entry("drug-allergy", Set.of()),
            Map.entry("drug-intolerance", Set.of()),
            Map.entry("contraindicating-diagnosis", Set.of()),
            Map.entry("infection-signs", Set.of()),
            Map.entry("clinician-confirmation", Set.of()),
            Map.entry("absent-on-record", Set.of()));

    /** What every finding of the payer and label checks carries from its episode: the pump drug's name. */
    Set<String> EPISODE_FACTS = Set.of("drug");

    /** The finding for this record, or empty when the criterion has nothing to say about it. */
    Optional<Outcome> evaluate(CheckInput in);

    // ---- the drug and its use ----

    /** Not documented when no pump drug is on the orders or active on record; otherwise nothing. */
    record PumpDrug() implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            return in.episode().drug().therapy() == Therapy.UNKNOWN
                    ? Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(null, "no pump drug on the orders or active on record")))
                    : Optional.empty();
        }
    }

    /**
     * A use the policy excludes or does not list: always unmet, citing the drug and the diagnoses its pathway matched
     * or cites. {@code ruling} is the policy's word for the exclusion (e.g. "Experimental/investigational").
     */
    record ExcludedUse(String ruling) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            Map<String, Object> facts = new HashMap<>();
            if (ruling != null) {
                facts.put("ruling", ruling);
            }
            if (in.pathway().use() != null) {
                facts.put("use", in.pathway().use());
            }
            List<Evidence> evidence = new ArrayList<>();
            evidence.add(in.drugEvidence());
            evidence.addAll(in.conditions(in.pathway().cited()));
            return Outcome.of(UNMET, evidence, facts);
        }
    }

    // ---- diagnoses ----

    /**
     * A diagnosis the criterion requires (active, in {@code valueSet}): met when present and not recorded as tentative
     * (unconfirmed, provisional, differential: then not documented, with a note to confirm it). An {@code unspecified} code
     * (e.g. primary vs secondary not stated) is not documented, with {@code unspecifiedNote}; a {@code related} but
     * insufficient diagnosis is cited with {@code relatedNote}. Absent, it is {@code whenAbsent} (unmet or
     * not-documented), citing {@code absent}.
     */
    record Diagnosis(String valueSet, String unspecified, String unspecifiedNote, String related, String relatedNote,
            String whenAbsent, String absent) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Condition> present = in.facts().active(valueSet);
            List<Condition> confirmed = present.stream().filter(c -> PatientFacts.tentative(c) == null).toList();
            if (!confirmed.isEmpty()) {
                return Outcome.of(MET, in.conditions(confirmed));
            }
            if (!present.isEmpty()) {
                return Outcome.of(NOT_DOCUMENTED, in.conditions(present), note(tentativeNote(present)));
            }
            if (unspecified != null && !in.facts().active(unspecified).isEmpty()) {
                return Outcome.of(NOT_DOCUMENTED, in.conditions(in.facts().active(unspecified)), note(unspecifiedNote));
            }
            Finding.Status status = "unmet".equals(whenAbsent) ? UNMET : NOT_DOCUMENTED;
            List<Condition> near = related == null ? List.of() : in.facts().active(related);
            if (!near.isEmpty()) {
                return Outcome.of(status, in.conditions(near), note(relatedNote));
            }
            return Outcome.of(status, List.of(new Evidence(null, absent)));
        }
    }

    /**
     * Every listed diagnosis required together (e.g. primary colorectal cancer and liver metastases); one present
     * only as tentative leaves the criterion not documented.
     */
    record AllDiagnoses(List<Required> require) implements Check {

        /** One required diagnosis: its value set and how the card names it when missing. */
        public record Required(String valueSet, String name) {
        }

        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Evidence> evidence = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            List<Condition> tentative = new ArrayList<>();
            for (Required required : require) {
                List<Condition> present = in.facts().active(required.valueSet());
                evidence.addAll(in.conditions(present));
                if (present.isEmpty()) {
                    missing.add(required.name());
                } else if (present.stream().allMatch(c -> PatientFacts.tentative(c) != null)) {
                    tentative.addAll(present);
                }
            }
            if (missing.isEmpty() && !tentative.isEmpty()) {
                Map<String, Object> facts = new HashMap<>(note(tentativeNote(tentative)));
                facts.put("missing", "");
                return Outcome.of(NOT_DOCUMENTED, evidence, facts);
            }
            return Outcome.of(missing.isEmpty() ? MET : UNMET, evidence, Map.of("missing", String.join(" and ", missing)));
        }
    }

    /**
     * Absence that must be documented, not assumed: unmet when a {@code contraindicating} diagnosis is active; met when
     * the {@code observation} records the absence (value false); otherwise not documented.
     */
    record DocumentedAbsence(String contraindicating, Code observation, String met, String missing) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Condition> present = in.facts().active(contraindicating);
            if (!present.isEmpty()) {
                return Outcome.of(UNMET, in.conditions(present));
            }
            Optional<Observation> absence = in.facts().observations(observation.system(), observation.code()).stream()
                    .filter(o -> o.hasValueBooleanType() && !o.getValueBooleanType().booleanValue()).findFirst();
            return absence.isPresent()
                    ? Outcome.of(MET, List.of(new Evidence(PatientFacts.reference(absence.get()), met)))
                    : Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(null, missing)));
        }
    }

    /** A finding recorded as a yes/no Observation (e.g. epithelial histology): yes met, no unmet, none not documented. */
    record RecordedFinding(Code observation, String met, String missing) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Observation> recorded = in.facts().observations(observation.system(), observation.code());
            Optional<Observation> yes = recorded.stream()
                    .filter(o -> o.hasValueBooleanType() && o.getValueBooleanType().booleanValue()).findFirst();
            if (yes.isPresent()) {
                return Outcome.of(MET, List.of(new Evidence(PatientFacts.reference(yes.get()), met)));
            }
            boolean no = recorded.stream().anyMatch(o -> o.hasValueBooleanType() && !o.getValueBooleanType().booleanValue());
            return Outcome.of(no ? UNMET : NOT_DOCUMENTED, List.of(new Evidence(null, missing)));
        }
    }

    // ---- medication history ----

    /**
     * Failure of, or intolerance to, a drug: a use in {@code drugs} stopped or completed with a reason, or an
     * intolerance or allergy to it, is met; otherwise not documented. With {@code route}, only uses by that route
     * count; a use without a route counts when its code is one of {@code productsOfRoute} (e.g. an oral tablet).
     * {@code citeUnexplained} lists the uses that ended without a reason when nothing documents failure.
     */
    record MedicationFailure(String drugs, String route, List<String> productsOfRoute, String name, String substance,
            String missing, boolean citeUnexplained) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<MedicationUse> uses = in.facts().medications(drugs).stream().filter(u -> route == null || (u.routeCode() == null
                    ? u.code().getCoding().stream().anyMatch(x -> productsOfRoute != null && productsOfRoute.contains(x.getCode()))
                    : in.valueSets().contains(ValueSets.of(route), CodeSystems.SNOMED, u.routeCode()))).toList();
            List<Evidence> failure = new ArrayList<>();
            uses.stream().filter(PatientFacts::endedWithReason)
                    .forEach(u -> failure.add(new Evidence(u.reference(), name + " " + u.status() + " with a reason recorded")));
            PatientFacts.Reactions reactions = in.facts().reactions(drugs, Set.of());
            reactions.intolerances().forEach(a -> failure.add(new Evidence(PatientFacts.reference(a), substance + " intolerance recorded")));
            reactions.allergies().forEach(a -> failure.add(new Evidence(PatientFacts.reference(a), substance + " allergy recorded")));
            if (!failure.isEmpty()) {
                return Outcome.of(MET, failure);
            }
            List<Evidence> seen = citeUnexplained
                    ? uses.stream().map(u -> new Evidence(u.reference(), name + " " + unexplained(u))).toList()
                    : List.of();
            return Outcome.of(NOT_DOCUMENTED, seen.isEmpty() ? List.of(new Evidence(null, missing)) : seen);
        }
    }

    /** Why a use in the history documents no failure, in words. */
    private static String unexplained(MedicationUse use) {
        if (use.status() == null) {
            return "(status not recorded)";
        }
        if (NEVER_GIVEN.contains(use.status())) {
            return "recorded as " + use.status() + " (never started)";
        }
        return PatientFacts.HISTORY_ENDED.contains(use.status()) ? use.status() + ", no reason recorded" : use.status();
    }

    /** Statuses of a medication use that say it was never given. */
    Set<String> NEVER_GIVEN = Set.of("cancelled", "not-taken", "draft", "entered-in-error");

    /** A previous use of a drug in {@code drugs} by a route in {@code routes} (not the pump drug itself, nor one never given). */
    record PriorMedication(String drugs, String routes, String name, String missing) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Evidence> prior = in.facts().medications(drugs).stream()
                    .filter(u -> !u.reference().equals(in.episode().drug().reference()))
                    .filter(u -> u.status() == null || !NEVER_GIVEN.contains(u.status()))
                    .filter(u -> u.routeCode() != null && in.valueSets().contains(ValueSets.of(routes), CodeSystems.SNOMED, u.routeCode()))
                    .map(u -> new Evidence(u.reference(), name + " by " + in.routeName(u.routeCode()) + " (" + u.status() + ")")).toList();
            return Outcome.of(prior.isEmpty() ? NOT_DOCUMENTED : MET, prior.isEmpty() ? List.of(new Evidence(null, missing)) : prior);
        }
    }

    // ---- observations and procedures ----

    /**
     * A trial ({@code procedure}, route in the trial-route extension) by the planned route with strictly more than
     * {@code moreThanPercent} pain reduction: a recorded reduction ({@code reduction}), else the last
     * {@code painScore} at or before the trial against the best one after it within the trial (its period end, or the
     * trial-window setting). No trial: not documented, with a draft trial order to offer.
     */
    record TrialReduction(Code procedure, Code reduction, Code painScore, double moreThanPercent) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            Map<String, Object> facts = new HashMap<>();
            String planned = in.episode().drug().routeCode();
            facts.put("plannedRoute", in.routeName(planned));
            facts.put("threshold", Words.number(moreThanPercent));
            Optional<Procedure> trial = in.facts().procedures(procedure.system(), procedure.code()).stream()
                    .max(Comparator.comparing(p -> Trials.start(p).orElse(new Date(0))));
            if (trial.isEmpty()) {
                return Optional.of(new Outcome(NOT_DOCUMENTED, List.of(new Evidence(null, "no pump trial procedure on record")), facts,
                        List.of(new ProposedAction("order-trial", "create", Trials.order(in, procedure, planned)))));
            }
            Procedure p = trial.get();
            String route = Trials.route(p);
            facts.put("trialRoute", route == null ? "not recorded" : in.routeName(route));
            List<Evidence> evidence = new ArrayList<>(List.of(new Evidence(PatientFacts.reference(p), "trial by " + facts.get("trialRoute"))));
            if (route == null) {
                return Outcome.of(NOT_DOCUMENTED, evidence, facts);
            }
            if (planned != null && !route.equals(planned)) {
                facts.put("otherRoute", true);
                return Outcome.of(UNMET, evidence, facts);
            }
            Double percent = Trials.recordedReduction(in, reduction, p, evidence);
            if (percent == null) {
                percent = Trials.scoreReduction(in, painScore, p, evidence, facts);
            }
            if (percent == null) {
                return Outcome.of(NOT_DOCUMENTED, evidence, facts);
            }
            facts.put("percent", Words.number(percent));
            return Outcome.of(percent > moreThanPercent ? MET : UNMET, evidence, facts);
        }
    }

    /**
     * The latest {@code observation} (called {@code name} on the card) with a time quantity: unmet at or below {@code unmetAtOrBelow} (in {@code unit}:
     * day, week, month or year), met above it; nothing when none is recorded or its unit is not a time unit.
     */
    record ObservationLimit(Code observation, String name, String unit, double unmetAtOrBelow) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            Optional<Observation> latest = in.facts().observations(observation.system(), observation.code()).stream()
                    .filter(o -> o.hasValueQuantity() && o.getValueQuantity().hasValue())
                    .max(Comparator.comparing(o -> PatientFacts.effective(o).orElse(new Date(0))));
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            Double value = Words.inUnit(latest.get(), unit);
            if (value == null) {
                return Optional.empty();
            }
            return Outcome.of(value <= unmetAtOrBelow ? UNMET : MET, List.of(new Evidence(PatientFacts.reference(latest.get()),
                    name + " " + Words.quantity(latest.get()))),
                    Map.of("value", Words.number(value), "limit", Words.number(unmetAtOrBelow), "unit", unit));
        }
    }

    /**
     * Replacement of a working pump needs a reason: a confirmed malfunction {@code diagnosis}, or a current elective
     * replacement {@code alarm} of the implanted pump ({@link Alarms}). A tentative diagnosis, an alarm of another
     * device, or an alarm too old to be this pump's leaves the reason not documented.
     */
    record ReplacementReason(String diagnosis, Code alarm) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Condition> recorded = in.facts().active(diagnosis);
            List<Condition> malfunction = recorded.stream().filter(c -> PatientFacts.tentative(c) == null).toList();
            Alarms alarms = Alarms.of(in, alarm);
            List<Evidence> evidence = new ArrayList<>(in.conditions(malfunction));
            alarms.current().forEach(o -> evidence.add(new Evidence(PatientFacts.reference(o), "elective replacement indicator alarm"
                    + PatientFacts.effective(o).map(d -> " on " + Words.day(d)).orElse(""))));
            if (!malfunction.isEmpty() || !alarms.current().isEmpty()) {
                return Outcome.of(MET, evidence);
            }
            // with no current reason: a tentative diagnosis, or an alarm that may be another device's, leaves it open
            List<Evidence> open = new ArrayList<>(in.conditions(recorded));
            in.facts().alarmsOfOtherDevices(alarm.system(), alarm.code()).forEach(o -> open.add(new Evidence(
                    PatientFacts.reference(o), "elective replacement indicator alarm of " + (o.getDevice().getReference() != null
                            ? o.getDevice().getReference() : "a device not on record") + ", not on record as the implanted pump")));
            alarms.stale().forEach(o -> open.add(new Evidence(PatientFacts.reference(o), "elective replacement indicator alarm"
                    + PatientFacts.effective(o).map(d -> " on " + Words.day(d)).orElse("") + ", naming no device, more than "
                    + Words.duration(in.settings().eriAlarmWindow()) + " before the order (pumpcds.coverage.eri-alarm-window):"
                    + " it may be an earlier pump's")));
            if (!open.isEmpty()) {
                return Outcome.of(NOT_DOCUMENTED, open, recorded.isEmpty() ? Map.of() : note(tentativeNote(recorded)));
            }
            evidence.add(new Evidence(null, "no malfunction diagnosis or elective replacement indicator alarm on record"));
            return Outcome.of(UNMET, evidence);
        }
    }

    /** A note dating the latest {@code alarm} (to schedule the replacement); nothing when none is recorded. */
    record AlarmDate(Code alarm) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            Optional<Observation> latest = Alarms.of(in, alarm).current().stream()
                    .max(Comparator.comparing(o -> PatientFacts.effective(o).orElse(new Date(0))));
            return latest.flatMap(o -> Outcome.of(INFORMATION, List.of(new Evidence(PatientFacts.reference(o), "alarm")),
                    Map.of("alarmDate", PatientFacts.effective(o).map(Words::day).orElse("an unrecorded date"))));
        }
    }

    /** A note, always: citing the active conditions of {@code cite} if any, with {@code citedNote} when there are. */
    record Information(String cite, String citedNote) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Condition> cited = cite == null ? List.of() : in.facts().active(cite);
            return Outcome.of(INFORMATION, in.conditions(cited), cited.isEmpty() ? Map.of() : note(citedNote));
        }
    }

    /** A note listing the recorded values of the named {@code observations}; nothing when none is recorded. */
    record ObservationsNote(List<Named> observations) implements Check {

        /** An observation code and how the note names its values. */
        public record Named(String system, String code, String name) {
        }

        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Evidence> evidence = new ArrayList<>();
            for (Named named : observations) {
                in.facts().observations(named.system(), named.code()).forEach(o ->
                        evidence.add(new Evidence(PatientFacts.reference(o), named.name() + " " + Words.quantity(o))));
            }
            return evidence.isEmpty() ? Optional.empty() : Outcome.of(INFORMATION, evidence);
        }
    }

    // ---- labeling and safety ----

    /** The one active ingredient FDA-labeled for an implanted pump by this route (labeled strength or dilution); mixtures are not. */
    record LabeledForRoute() implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            PumpPreparation preparation = in.episode().preparation();
            String reference = in.episode().drug().reference();
            if (preparation == null || preparation.actives().isEmpty()) {
                return Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(reference, "ingredients and strengths not on record")));
            }
            if (preparation.actives().size() > 1) {
                return Outcome.of(UNMET, List.of(new Evidence(reference, preparation.actives().size()
                        + " active ingredients: no mixture is FDA-labeled for pump delivery")), Map.of("admixture", true));
            }
            PumpPreparation.PreparedIngredient active = preparation.actives().get(0);
            if (!active.identified()) {
                return Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(reference, active.name()
                        + ": ingredient not identified (no known RxNorm code or exact name)")));
            }
            if (active.mgPerMl() == null) {
                return Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(reference, active.name() + ": strength not stated")));
            }
            List<LabeledProduct> products = in.knowledge().labeledProductsOf(active.rxcui(), active.name());
            StabilityKnowledge.SaltMatch salt = StabilityKnowledge.bySalt(products, active.saltForm(), preparation.label());
            if (salt.saltUnknown()) {
                return Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(reference, products.get(0).saltNotStated())));
            }
            if (salt.otherSalt()) {
                return Outcome.of(UNMET, List.of(new Evidence(reference, products.get(0).ingredient().name() + " " + active.saltForm()
                        + " is another drug product: " + products.get(0).product() + " is " + products.get(0).labeledSalt())));
            }
            Optional<StabilityKnowledge.LabeledMatch> labeled = in.knowledge().labeledUse(salt.candidates(), active.mgPerMl(), preparation.diluents(), in.episode().drug().routeCode(), null);
            if (labeled.isPresent()) {
                return Outcome.of(MET, List.of(new Evidence("knowledge/stability/labeled-products.yaml#" + labeled.get().product().id(),
                        active.name() + " labeled for this route")));
            }
            return Outcome.of(UNMET, List.of(new Evidence(reference, products.isEmpty()
                    ? "no FDA-labeled implanted-pump product contains " + active.name()
                    : active.name() + " at this strength, diluent or route is not FDA-labeled for an implanted pump")));
        }
    }

    /**
     * A known allergy or hypersensitivity to the pump drug (by its RxNorm codes): only an allergy is unmet; an
     * unconfirmed one is a question (not documented); none recorded in a complete allergy list is met. Nothing when
     * the drug carries no RxNorm code to match.
     */
    record DrugAllergy() implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            Set<String> rxcuis = in.rxcuis();
            if (rxcuis.isEmpty()) {
                return Optional.empty();
            }
            PatientFacts.Reactions reactions = in.facts().reactions(null, rxcuis);
            String drug = in.drugName();
            if (!reactions.allergies().isEmpty()) {
                return Outcome.of(UNMET, reactions.allergies().stream().map(a -> new Evidence(PatientFacts.reference(a),
                        Words.reaction(a, a.hasType() ? "allergy" : "allergy or intolerance (type not recorded)"))).toList());
            }
            if (!reactions.unconfirmed().isEmpty()) {
                return Outcome.of(NOT_DOCUMENTED, reactions.unconfirmed().stream().map(a -> new Evidence(PatientFacts.reference(a),
                        Words.reaction(a, a.hasCategory() && a.getCategory().stream().noneMatch(k -> k.getValue()
                                == AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION)
                                ? "entry filed under " + a.getCategory().get(0).getValue().toCode() + " (review)" : "unconfirmed allergy"))).toList());
            }
            List<Evidence> none = new ArrayList<>();
            none.add(new Evidence(null, reactions.notCounted().isEmpty() ? "no recorded allergy to " + drug : "no current allergy to " + drug));
            reactions.notCounted().forEach(a -> none.add(new Evidence(PatientFacts.reference(a), Words.reaction(a, "not counted ("
                    + (a.getVerificationStatus().hasCoding() && !a.getVerificationStatus().getCodingFirstRep().getCode().equals("confirmed")
                            ? a.getVerificationStatus().getCodingFirstRep().getCode() : a.getClinicalStatus().getCodingFirstRep().getCode())
                    + ") entry"))));
            return Outcome.of(in.facts().complete("allergies") ? MET : NOT_DOCUMENTED, none);
        }
    }

    /** A note on a recorded intolerance of the pump drug: not the allergy a contraindication names, but worth reviewing. */
    record DrugIntolerance() implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            Set<String> rxcuis = in.rxcuis();
            List<AllergyIntolerance> intolerances = rxcuis.isEmpty() ? List.of() : in.facts().reactions(null, rxcuis).intolerances();
            return intolerances.isEmpty() ? Optional.empty() : Outcome.of(INFORMATION, intolerances.stream()
                    .map(a -> new Evidence(PatientFacts.reference(a), Words.reaction(a, "intolerance (not an allergy)"))).toList());
        }
    }

    /**
     * A diagnosis that contraindicates: unmet when active (or, with {@code history}, ever recorded); otherwise not
     * documented, never met (a problem list without it is not proof of absence).
     */
    record ContraindicatingDiagnosis(String valueSet, boolean history, String absent) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Condition> present = history ? in.facts().ever(valueSet) : in.facts().active(valueSet);
            return present.isEmpty() ? Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(null, absent)))
                    : Outcome.of(UNMET, in.conditions(present));
        }
    }

    /**
     * Signs of infection without a diagnosis: a {@code feverDiagnosis}, a body temperature at or above the fever
     * threshold setting in the look-back window, or an active systemic drug of {@code antibacterials} (not the pump
     * drug). Met only with a temperature below the threshold in the window, complete condition and medication lists,
     * and every active medication coded where {@code antibacterials} can classify it; no temperature is not documented.
     */
    record InfectionSigns(String feverDiagnosis, String antibacterials) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Evidence> signs = new ArrayList<>(in.conditions(in.facts().active(feverDiagnosis)));
            CoverageSettings settings = in.settings();
            long days = settings.temperatureLookback().toDays();
            Optional<BodyTemperatures.Reading> highest = BodyTemperatures.highest(in.facts().record(), in.orderedAt(),
                    settings.temperatureLookback());
            highest.filter(t -> t.celsius() >= settings.feverThresholdC())
                    .ifPresent(t -> signs.add(new Evidence(t.reference(), "fever " + Words.number(t.celsius()) + " °C (at or above "
                            + Words.number(settings.feverThresholdC()) + " °C) in the last " + days + " days")));
            in.facts().medications(antibacterials).stream().filter(u -> "active".equals(u.status()))
                    .filter(u -> !u.reference().equals(in.episode().drug().reference()))
                    .forEach(u -> signs.add(new Evidence(u.reference(), "active systemic antibacterial")));
            if (!signs.isEmpty()) {
                return Outcome.of(UNMET, signs);
            }
            // no fever is known only from a temperature taken: without one, silence is not an afebrile patient
            if (highest.isEmpty()) {
                return Outcome.of(NOT_DOCUMENTED, List.of(new Evidence(null, "no fever diagnosis or active systemic antibacterial;"
                        + " no body temperature recorded in the last " + days + " days")));
            }
            BodyTemperatures.Reading afebrile = highest.get();
            List<String> unclassifiable = in.facts().activeUnclassifiable(antibacterials).stream()
                    .filter(reference -> !reference.equals(in.episode().drug().reference())).toList();
            List<Evidence> shown = new ArrayList<>(List.of(new Evidence(null, unclassifiable.isEmpty()
                    ? "no fever diagnosis or active systemic antibacterial" : "no fever diagnosis or known active systemic antibacterial"),
                    new Evidence(afebrile.reference(), "highest temperature " + Words.number(afebrile.celsius()) + " °C in the last "
                            + days + " days")));
            unclassifiable.forEach(reference -> shown.add(new Evidence(reference,
                    "active medication coded in no code system the antibacterial list uses: cannot tell whether it is one")));
            return Outcome.of(unclassifiable.isEmpty() && in.facts().complete("conditions", "medicationRequests", "medicationStatements")
                    ? MET : NOT_DOCUMENTED, shown);
        }
    }

    /**
     * A judgement the sources leave to the clinician (no threshold given): always not documented, showing what the
     * clinician needs to judge: the latest {@code weight} and the patient's age when the order was written.
     */
    record ClinicianConfirmation(Code weight) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Evidence> shown = new ArrayList<>();
            Optional<Observation> latest = in.facts().observations(weight.system(), weight.code()).stream()
                    .max(Comparator.comparing(o -> PatientFacts.effective(o).orElse(new Date(0))));
            shown.add(latest.map(w -> new Evidence(PatientFacts.reference(w), "weight " + Words.quantity(w)))
                    .orElse(new Evidence(null, "no weight recorded")));
            in.facts().record().all(Patient.class).stream().filter(Patient::hasBirthDate).findFirst()
                    .ifPresent(p -> shown.add(new Evidence("Patient/" + p.getIdElement().getIdPart(), "age "
                            + Period.between(p.getBirthDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate(),
                                    in.orderedAt().atZone(ZoneOffset.UTC).toLocalDate()).getYears() + " years")));
            return Outcome.of(NOT_DOCUMENTED, shown);
        }
    }

    /**
     * Something that must not be on record (e.g. another programmable implant): unmet when an active device of
     * {@code devices} or an active condition of {@code diagnoses} is; met only when the device and condition lists
     * are complete; otherwise not documented.
     */
    record AbsentOnRecord(String devices, String diagnoses, String missing) implements Check {
        @Override
        public Optional<Outcome> evaluate(CheckInput in) {
            List<Evidence> found = new ArrayList<>();
            in.facts().activeDevices(devices).forEach(d -> found.add(new Evidence(PatientFacts.reference(d),
                    Words.display(d.getType().getCodingFirstRep()))));
            found.addAll(in.conditions(in.facts().active(diagnoses)));
            if (!found.isEmpty()) {
                return Outcome.of(UNMET, found);
            }
            return Outcome.of(in.facts().complete("devices", "conditions") ? MET : NOT_DOCUMENTED, List.of(new Evidence(null, missing)));
        }
    }

    /**
     * The implanted pump's alarms, split by age: {@code current} name the pump, or name no device and sounded within
     * the ERI alarm window before the order (or carry no date: nothing says they are older); {@code stale} name no
     * device and are older.
     */
    record Alarms(List<Observation> current, List<Observation> stale) {
        static Alarms of(CheckInput in, Code alarm) {
            Instant since = in.orderedAt().minus(in.settings().eriAlarmWindow());
            Map<Boolean, List<Observation>> recent = in.facts().soundingAlarms(alarm.system(), alarm.code()).stream()
                    .collect(Collectors.partitioningBy(o -> o.hasDevice()
                            || PatientFacts.effective(o).map(d -> !d.toInstant().isBefore(since)).orElse(true)));
            return new Alarms(recent.get(true), recent.get(false));
        }
    }

    /** The note for a diagnosis on record only as unconfirmed, provisional or differential. */
    private static String tentativeNote(List<Condition> tentative) {
        return "The diagnosis is recorded as " + tentative.stream().map(PatientFacts::tentative).distinct()
                .collect(Collectors.joining(" or ")) + ", not confirmed: confirm it on the problem list.";
    }

    private static Map<String, Object> note(String note) {
        return note == null ? Map.of() : Map.of("note", note);
    }


}
