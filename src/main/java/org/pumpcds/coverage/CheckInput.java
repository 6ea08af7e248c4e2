package org.pumpcds.coverage;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.pumpcds.findings.Evidence;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/**
 * Everything a check may read: the episode, the patient's record (as facts), the pathway that applied, the code sets,
 * the stability knowledge and the settings. Nothing here reads the network.
 *
 * @param pathway the policy pathway that matched (its named use and the conditions it cites), or {@link Matched#NONE}
 */
record CheckInput(CoverageEvaluator.Episode episode, PatientFacts facts, Matched pathway, ValueSetIndex valueSets,
        StabilityKnowledge knowledge, CoverageSettings settings) {

    /** The pathway a policy applied: how it names the use, and the active conditions its diagnoses and cites found. */
    record Matched(String use, List<Condition> cited) {
        static final Matched NONE = new Matched(null, List.of());
    }

    CheckInput withPathway(Matched matched) {
        return new CheckInput(episode, facts, matched, valueSets, knowledge, settings);
    }

    String drugName() {
        return episode.drug().name() == null ? "no drug documented" : episode.drug().name();
    }

    Evidence drugEvidence() {
        return new Evidence(episode.drug().reference(), episode.drug().name() + " by " + routeName(episode.drug().routeCode()));
    }

    /** Each condition as evidence; one still being ruled in or out says so (it counts as a contraindication). */
    List<Evidence> conditions(List<Condition> conditions) {
        return conditions.stream().map(x -> new Evidence(PatientFacts.reference(x), Words.display(x.getCode().getCodingFirstRep())
                + (PatientFacts.tentative(x) == null ? "" : " (recorded as " + PatientFacts.tentative(x) + ")"))).toList();
    }

    /** The pump drug's RxNorm codes (ingredient codes included), to match allergies. */
    Set<String> rxcuis() {
        return episode.drug().codings().stream()
                .filter(x -> x.hasCode() && CodeSystems.RXNORM.equals(CodeSystems.canonical(x.getSystem())))
                .map(Coding::getCode).collect(Collectors.toSet());
    }

    String routeName(String code) {
        if (code == null) {
            return "an unrecorded route";
        }
        return valueSets.display(ValueSets.PUMP_ROUTES, CodeSystems.SNOMED, code)
                .or(() -> valueSets.display(ValueSets.of("route-external-pump"), CodeSystems.SNOMED, code))
                .map(s -> s.replace(" route", "").toLowerCase(Locale.ROOT)).orElse("route " + code);
    }

    /** When the pump order was written (authoredOn), else now: "recent" is counted back from it. */
    Instant orderedAt() {
        Object order = episode.primary().resource();
        Date authored = order instanceof ServiceRequest request ? request.getAuthoredOn()
                : order instanceof DeviceRequest request ? request.getAuthoredOn()
                : order instanceof MedicationRequest request ? request.getAuthoredOn() : null;
        return authored == null ? Instant.now() : authored.toInstant();
    }
}
