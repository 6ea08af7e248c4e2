package org.pumpcds.coverage;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.pumpcds.fhirjson.CodedJson;
import org.pumpcds.knowledge.SubstanceIdentities;
import org.pumpcds.orders.ImplantedPumps;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;
import tools.jackson.databind.JsonNode;

/** Questions the criteria ask of the patient record, answered with the resources that answer them. */
final class PatientFacts {

    /** One use of a medication in the history, from a MedicationStatement or MedicationRequest. */
    record MedicationUse(String reference, String status, boolean hasStatusReason, String routeCode, CodeableConcept code) {
    }

    /** A use that ended after the drug was taken (domain.md ANT-03); cancelled and not-taken uses never began. */
    static final Set<String> HISTORY_ENDED = Set.of("stopped", "completed");

    private final PatientRecord record;
    private final ValueSetIndex valueSets;
    private final SubstanceIdentities identities;

    PatientFacts(PatientRecord record, ValueSetIndex valueSets, SubstanceIdentities identities) {
        this.record = record;
        this.valueSets = valueSets;
        this.identities = identities;
    }

    PatientRecord record() {
        return record;
    }

    /** Conditions in a value set that are current (clinicalStatus active/recurrence/relapse or unstated) and not refuted. */
    List<Condition> active(String valueSetId) {
        return conditions(valueSetId).stream()
                .filter(c -> notRefuted(c) && currentlyActive(c))
                .filter(c -> valueSets.firstMatch(ValueSets.of(valueSetId), c.getCode()).isPresent()).toList();
    }

    /** Conditions in a value set whatever their clinical status (a history of), unless refuted or in error. */
    List<Condition> ever(String valueSetId) {
        return conditions(valueSetId).stream().filter(PatientFacts::notRefuted)
                .filter(c -> valueSets.firstMatch(ValueSets.of(valueSetId), c.getCode()).isPresent()).toList();
    }

    /** Keys of what is asked of the record more than once a call (several criteria read the same codes), read once. */
    private record ConditionsIn(String valueSetId) {
    }

    private record WithCode(Class<?> type, String system, String code) {
    }

    /** The conditions whose JSON may be coded in the value set; the caller tests the parsed code. */
    private List<Condition> conditions(String valueSetId) {
        String url = ValueSets.of(valueSetId);
        return record.derived(new ConditionsIn(valueSetId), () -> List.copyOf(record.all(Condition.class,
                CodedJson.mayHaveCoding("code", (system, code) -> code != null && valueSets.contains(url, system, code.trim())))));
    }

    /**
     * Whether the record holds everything the given prefetch keys would return: false when paging stopped at the
     * limit, so "nothing found" there is not evidence of absence.
     */
    boolean complete(String... keys) {
        for (String key : keys) {
            if (record.incompleteKeys().contains(key)) {
                return false;
            }
        }
        return true;
    }

    /** Uses of a drug in the history; an entry made in error says nothing and is left out. */
    List<MedicationUse> medications(String drugValueSetId) {
        List<MedicationUse> uses = new ArrayList<>();
        String url = ValueSets.of(drugValueSetId);
        // a drug named through a Medication resource is always read; one coded in place only when it may be in the value set
        Predicate<JsonNode> mayBeTheDrug = CodedJson.mayHaveCoding("medicationCodeableConcept",
                (system, code) -> valueSets.contains(url, system, code.trim())).or(json -> json.hasNonNull("medicationReference"));
        for (MedicationStatement statement : record.all(MedicationStatement.class, mayBeTheDrug)) {
            CodeableConcept code = drug(statement);
            if (matches(drugValueSetId, code)) {
                uses.add(new MedicationUse("MedicationStatement/" + statement.getIdElement().getIdPart(),
                        statement.getStatus() == null ? null : statement.getStatus().toCode(), statement.hasStatusReason(),
                        route(statement.getDosage()), code));
            }
        }
        for (MedicationRequest request : record.all(MedicationRequest.class, mayBeTheDrug)) {
            CodeableConcept code = drug(request);
            if (matches(drugValueSetId, code)) {
                uses.add(new MedicationUse("MedicationRequest/" + request.getIdElement().getIdPart(),
                        request.getStatus() == null ? null : request.getStatus().toCode(), request.hasStatusReason(),
                        route(request.getDosageInstruction()), code));
            }
        }
        return uses.stream().filter(u -> !"entered-in-error".equals(u.status())).toList();
    }

    /**
     * Active medications the value set can say nothing about, either way: their code has no coding in any system the
     * value set draws on (a drug ordered as text, or coded only where the value set has no codes). Until they are
     * classified, "none of these drugs is active" is not known.
     */
    List<String> activeUnclassifiable(String drugValueSetId) {
        Set<String> systems = valueSets.systems(ValueSets.of(drugValueSetId));
        Predicate<JsonNode> active = CodedJson.mayEqual("status", "active");
        List<String> unclassifiable = new ArrayList<>();
        for (MedicationRequest request : record.all(MedicationRequest.class, active)) {
            if (request.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE && !classifiable(drug(request), systems)) {
                unclassifiable.add("MedicationRequest/" + request.getIdElement().getIdPart());
            }
        }
        for (MedicationStatement statement : record.all(MedicationStatement.class, active)) {
            if (statement.getStatus() == MedicationStatement.MedicationStatementStatus.ACTIVE && !classifiable(drug(statement), systems)) {
                unclassifiable.add("MedicationStatement/" + statement.getIdElement().getIdPart());
            }
        }
        return unclassifiable;
    }

    private static CodeableConcept drug(MedicationRequest request) {
        return code(request.hasMedicationCodeableConcept() ? request.getMedicationCodeableConcept() : null,
                request.hasMedicationReference() ? request.getMedicationReference() : null);
    }

    private static CodeableConcept drug(MedicationStatement statement) {
        return code(statement.hasMedicationCodeableConcept() ? statement.getMedicationCodeableConcept() : null,
                statement.hasMedicationReference() ? statement.getMedicationReference() : null);
    }

    private static boolean classifiable(CodeableConcept code, Set<String> systems) {
        return code != null && code.getCoding().stream()
                .anyMatch(c -> c.hasCode() && systems.contains(CodeSystems.canonical(c.getSystem())));
    }

    /** Stopped or completed with a reason recorded: the record's way of saying it failed or was not tolerated. */
    static boolean endedWithReason(MedicationUse use) {
        return use.status() != null && HISTORY_ENDED.contains(use.status()) && use.hasStatusReason();
    }

    /**
     * What the record says about reactions to a drug, read as FHIR defines AllergyIntolerance: entries that are
     * refuted, entered in error, inactive or resolved, or of a non-medication category, say nothing; an intolerance
     * (a non-immune reaction such as sedation) is not an allergy; an unconfirmed or presumed allergy, or a drug entry filed
     * under a non-medication category, is a question, not a fact. An entry that does not say whether it is an allergy or an intolerance counts as an allergy:
     * hypersensitivity cannot be ruled out.
     *
     * @param allergies    current allergies (or reactions of unstated type) to the drug
     * @param unconfirmed  allergies recorded as unconfirmed or presumed
     * @param intolerances current intolerances
     * @param notCounted   entries naming the drug that say nothing current (refuted, in error, inactive, resolved)
     */
    record Reactions(List<AllergyIntolerance> allergies, List<AllergyIntolerance> unconfirmed,
            List<AllergyIntolerance> intolerances, List<AllergyIntolerance> notCounted) {
    }

    /** Reactions whose code is in the value set or names one of the ingredient codes (product codes mapped first). */
    Reactions reactions(String drugValueSetId, Set<String> ingredientRxcuis) {
        List<AllergyIntolerance> allergies = new ArrayList<>();
        List<AllergyIntolerance> unconfirmed = new ArrayList<>();
        List<AllergyIntolerance> intolerances = new ArrayList<>();
        List<AllergyIntolerance> notCounted = new ArrayList<>();
        for (AllergyIntolerance entry : record.all(AllergyIntolerance.class)) {
            // a product-coded entry (e.g. a tablet) is about its ingredient
            List<Coding> codes = identities.withIngredientCodes(entry.getCode().getCoding());
            CodeableConcept code = new CodeableConcept();
            codes.forEach(code::addCoding);
            if (!(drugValueSetId != null && valueSets.firstMatch(ValueSets.of(drugValueSetId), code).isPresent()
                    || codes.stream().anyMatch(c -> CodeSystems.RXNORM.equals(CodeSystems.canonical(c.getSystem()))
                            && c.hasCode() && ingredientRxcuis.contains(c.getCode())))) {
                continue;
            }
            if (!current(entry)) {
                notCounted.add(entry); // refuted, entered in error, inactive or resolved: shown, not counted
                continue;
            }
            if (!medicationCategory(entry)) {
                unconfirmed.add(entry); // a drug filed under food or environment is more likely misfiled than harmless
                continue;
            }
            if (entry.getType() == AllergyIntolerance.AllergyIntoleranceType.INTOLERANCE) {
                intolerances.add(entry);
            } else if (hasCode(entry.getVerificationStatus(), "unconfirmed", "presumed")) {
                unconfirmed.add(entry);
            } else {
                allergies.add(entry);
            }
        }
        return new Reactions(allergies, unconfirmed, intolerances, notCounted);
    }

    private static boolean current(AllergyIntolerance entry) {
        if (hasCode(entry.getVerificationStatus(), "refuted", "entered-in-error")) {
            return false;
        }
        return !entry.hasClinicalStatus() || hasCode(entry.getClinicalStatus(), "active");
    }

    private static boolean medicationCategory(AllergyIntolerance entry) {
        return !entry.hasCategory() || entry.getCategory().stream()
                .anyMatch(c -> c.getValue() == AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION);
    }

    private static boolean hasCode(CodeableConcept concept, String... codes) {
        return concept.getCoding().stream().anyMatch(c -> c.hasCode() && Set.of(codes).contains(c.getCode()));
    }

    List<Observation> observations(String system, String code) {
        return record.derived(new WithCode(Observation.class, system, code), () -> record.all(Observation.class,
                        CodedJson.mayHaveCoding("code", (s, c) -> system.equals(CodeSystems.canonical(s)) && code.equals(c))).stream()
                .filter(o -> o.getStatus() != Observation.ObservationStatus.ENTEREDINERROR
                        && o.getStatus() != Observation.ObservationStatus.CANCELLED)
                .filter(o -> o.getCode().getCoding().stream()
                        .anyMatch(c -> system.equals(CodeSystems.canonical(c.getSystem())) && code.equals(c.getCode())))
                .toList());
    }

    List<Procedure> procedures(String system, String code) {
        return record.derived(new WithCode(Procedure.class, system, code), () -> record.all(Procedure.class,
                        CodedJson.mayHaveCoding("code", (s, c) -> system.equals(CodeSystems.canonical(s)) && code.equals(c))).stream()
                .filter(p -> p.getStatus() == null || p.getStatus() == Procedure.ProcedureStatus.COMPLETED)
                .filter(p -> p.getCode().getCoding().stream()
                        .anyMatch(c -> system.equals(CodeSystems.canonical(c.getSystem())) && code.equals(c.getCode())))
                .toList());
    }

    /**
     * Alarms ({@code system|code}) that may be the implanted pump's: a recorded "no" (false, or zero) is no alarm; one
     * naming a device only when the record holds it as an active implanted pump. Alarms naming no device are here too:
     * how recent they must be is the caller's rule.
     */
    List<Observation> soundingAlarms(String system, String code) {
        return sounding(system, code).stream().filter(o -> !o.hasDevice() || namesImplantedPump(o)).toList();
    }

    /**
     * Alarms naming a device the record does not hold as an active implanted pump: an explanted pump's, another
     * device's, or one the record cannot place (it reads active devices only). They say neither that this pump
     * alarmed nor that it did not.
     */
    List<Observation> alarmsOfOtherDevices(String system, String code) {
        return sounding(system, code).stream().filter(o -> o.hasDevice() && !namesImplantedPump(o)).toList();
    }

    private List<Observation> sounding(String system, String code) {
        return observations(system, code).stream()
                .filter(o -> !(o.hasValueBooleanType() && !o.getValueBooleanType().booleanValue())
                        && !(o.hasValueQuantity() && o.getValueQuantity().hasValue() && o.getValueQuantity().getValue().signum() == 0))
                .toList();
    }

    private boolean namesImplantedPump(Observation alarm) {
        String reference = alarm.getDevice().getReference();
        return reference != null && record.find(reference).filter(ImplantedPumps.in(record, valueSets)::contains).isPresent();
    }

    List<Device> activeDevices(String valueSetId) {
        return record.all(Device.class).stream().filter(d -> d.getStatus() == Device.FHIRDeviceStatus.ACTIVE)
                .filter(d -> valueSets.firstMatch(ValueSets.of(valueSetId), d.getType()).isPresent()).toList();
    }

    boolean matches(String valueSetId, CodeableConcept code) {
        return code != null && valueSets.firstMatch(ValueSets.of(valueSetId), code).isPresent();
    }

    static Optional<Date> effective(Observation observation) {
        if (observation.hasEffectiveDateTimeType()) {
            return Optional.ofNullable(observation.getEffectiveDateTimeType().getValue());
        }
        if (observation.hasEffectivePeriod()) {
            return Optional.ofNullable(observation.getEffectivePeriod().getStart());
        }
        return Optional.empty();
    }

    static String reference(org.hl7.fhir.r4.model.Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static CodeableConcept code(CodeableConcept direct, Reference medication) {
        if (direct != null) {
            return direct;
        }
        if (medication != null && medication.getResource() instanceof Medication contained) {
            CodeableConcept all = contained.getCode().copy();
            contained.getIngredient().stream().filter(i -> i.hasItemCodeableConcept())
                    .forEach(i -> i.getItemCodeableConcept().getCoding().forEach(all::addCoding));
            return all;
        }
        return null;
    }

    private static String route(List<Dosage> dosages) {
        return dosages.stream().flatMap(d -> d.getRoute().getCoding().stream())
                .filter(c -> CodeSystems.SNOMED.equals(CodeSystems.canonical(c.getSystem())))
                .filter(Coding::hasCode).map(Coding::getCode).findFirst().orElse(null);
    }

    /**
     * The verification status of a diagnosis still being ruled in or out (unconfirmed, provisional, differential), or
     * null when it is confirmed or not stated. Such a diagnosis counts against an order (a contraindication) but never
     * for it (domain.md 1: indications need a confirmed diagnosis).
     */
    static String tentative(Condition condition) {
        return condition.getVerificationStatus().getCoding().stream().filter(Coding::hasCode).map(Coding::getCode)
                .filter(TENTATIVE::contains).findFirst().orElse(null);
    }

    private static final Set<String> TENTATIVE = Set.of("unconfirmed", "provisional", "differential");

    private static boolean notRefuted(Condition condition) {
        return condition.getVerificationStatus().getCoding().stream()
                .noneMatch(c -> c.hasCode() && Set.of("refuted", "entered-in-error").contains(c.getCode()));
    }

    private static boolean currentlyActive(Condition condition) {
        return !condition.hasClinicalStatus() || condition.getClinicalStatus().getCoding().stream()
                .anyMatch(c -> c.hasCode() && Set.of("active", "recurrence", "relapse").contains(c.getCode()));
    }
}
