package org.pumpcds.coverage;

import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.pumpcds.findings.Evidence;
import org.pumpcds.terminology.CodeSystems;

/** Reading a pump trial: its route, start, recorded or scored pain reduction; and a draft order for a missing one. */
final class Trials {

    /** The trial Procedure's route extension (fhir-profiles/README.md). */
    static final String TRIAL_ROUTE = CodeSystems.PROJECT_BASE + "/StructureDefinition/trial-route";

    private Trials() {
    }

    static String route(Procedure trial) {
        for (Extension extension : trial.getExtensionsByUrl(TRIAL_ROUTE)) {
            if (extension.getValue() instanceof CodeableConcept concept) {
                return concept.getCoding().stream().filter(x -> x.hasCode() && CodeSystems.SNOMED.equals(CodeSystems.canonical(x.getSystem())))
                        .map(Coding::getCode).findFirst().orElse(null);
            }
        }
        return null;
    }

    static Optional<Date> start(Procedure procedure) {
        if (procedure.hasPerformedDateTimeType()) {
            return Optional.ofNullable(procedure.getPerformedDateTimeType().getValue());
        }
        if (procedure.hasPerformedPeriod()) {
            return Optional.ofNullable(procedure.getPerformedPeriod().getStart());
        }
        return Optional.empty();
    }

    /**
     * A reduction recorded for this trial, in percent; null when none is usable. One linked to the trial (partOf)
     * counts whenever it was recorded; one linked to no trial only when recorded within this trial's window, so a
     * figure from an earlier trial is never credited to this one. The latest such record wins, a linked one first.
     */
    static Double recordedReduction(CheckInput in, Check.Code reduction, Procedure trial, List<Evidence> evidence) {
        Optional<Window> window = window(in, trial);
        Comparator<Observation> latest = Comparator.comparing(o -> PatientFacts.effective(o).orElse(new Date(0)));
        Optional<Observation> recorded = in.facts().observations(reduction.system(), reduction.code()).stream()
                .filter(o -> o.hasValueQuantity() && o.getValueQuantity().hasValue())
                .filter(o -> linkedTo(o, trial) || o.getPartOf().isEmpty() && window.isPresent()
                        && PatientFacts.effective(o).map(window.get()::holds).orElse(false))
                .max(Comparator.comparing((Observation o) -> linkedTo(o, trial)).thenComparing(latest));
        if (recorded.isEmpty()) {
            return null;
        }
        double percent = recorded.get().getValueQuantity().getValue().doubleValue();
        if (!Double.isFinite(percent)) {
            return null;
        }
        evidence.add(new Evidence(PatientFacts.reference(recorded.get()), "recorded reduction " + Words.quantity(recorded.get())));
        return percent;
    }

    private static boolean linkedTo(Observation observation, Procedure trial) {
        return observation.getPartOf().stream().anyMatch(r -> trial.getIdElement().getIdPart().equals(r.getReferenceElement().getIdPart()));
    }

    /** A trial's time, both ends included. */
    private record Window(Date start, Date end) {
        boolean holds(Date at) {
            return !at.before(start) && !at.after(end);
        }
    }

    /** The trial's start and end: its period end, or the trial-window setting after its start. */
    private static Optional<Window> window(CheckInput in, Procedure trial) {
        return start(trial).map(start -> new Window(start, trial.hasPerformedPeriod() && trial.getPerformedPeriod().hasEnd()
                ? trial.getPerformedPeriod().getEnd() : new Date(start.getTime() + in.settings().trialWindow().toMillis())));
    }

    /** Last score at or before the trial start, best score after it within the trial (period end, or the setting). */
    static Double scoreReduction(CheckInput in, Check.Code painScore, Procedure trial, List<Evidence> evidence,
            Map<String, Object> facts) {
        Optional<Window> window = window(in, trial);
        if (window.isEmpty()) {
            return null;
        }
        Date start = window.get().start();
        Date end = window.get().end();
        List<Observation> scores = in.facts().observations(painScore.system(), painScore.code()).stream()
                .filter(o -> o.hasValueQuantity() && o.getValueQuantity().hasValue() && PatientFacts.effective(o).isPresent()).toList();
        Optional<Observation> before = scores.stream().filter(o -> !PatientFacts.effective(o).get().after(start))
                .max(Comparator.comparing(o -> PatientFacts.effective(o).get()));
        Optional<Observation> after = scores.stream().filter(o -> PatientFacts.effective(o).get().after(start)
                        && !PatientFacts.effective(o).get().after(end))
                .min(Comparator.comparing(o -> o.getValueQuantity().getValue()));
        if (before.isEmpty() || after.isEmpty()) {
            evidence.add(new Evidence(null, "pain scores (" + (painScore.loinc() ? "LOINC " : "") + painScore.code()
                    + ") before and after the trial not both recorded"));
            return null;
        }
        double pre = before.get().getValueQuantity().getValue().doubleValue();
        double post = after.get().getValueQuantity().getValue().doubleValue();
        evidence.add(new Evidence(PatientFacts.reference(before.get()), "pain " + Words.number(pre) + " before"));
        evidence.add(new Evidence(PatientFacts.reference(after.get()), "pain " + Words.number(post) + " after"));
        facts.put("before", Words.number(pre));
        facts.put("after", Words.number(post));
        // an unusable pair (no baseline pain, a negative score, numbers past computing with) documents nothing
        double percent = (pre - post) / pre * 100;
        return pre <= 0 || post < 0 || !Double.isFinite(percent) ? null : percent;
    }

    /** A draft order for the missing trial, by the planned route, for the clinician to complete. */
    static ServiceRequest order(CheckInput in, Check.Code procedure, String route) {
        ServiceRequest order = new ServiceRequest();
        order.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
        order.setIntent(ServiceRequest.ServiceRequestIntent.PROPOSAL);
        order.getCode().addCoding().setSystem(procedure.system()).setCode(procedure.code()).setDisplay("Implantable pump trial");
        order.getCode().setText("Pump trial by the " + in.routeName(route) + " route");
        if (route != null) {
            order.addExtension(TRIAL_ROUTE, new CodeableConcept(new Coding(CodeSystems.SNOMED, route, null)));
        }
        Object primary = in.episode().primary().resource();
        if (primary instanceof ServiceRequest request && request.hasSubject()) {
            order.setSubject(request.getSubject().copy());
        } else if (primary instanceof DeviceRequest request && request.hasSubject()) {
            order.setSubject(request.getSubject().copy());
        }
        return order;
    }
}
