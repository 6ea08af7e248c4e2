package org.pumpcds.sandbox;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the sandbox's search parameters read in each resource type, following the FHIR R4 search parameter
 * definitions: {@code patient} (subject / patient / beneficiary), {@code status}, {@code code},
 * {@code type} and the date {@code _sort=date} orders by. A null function means the type has no such parameter.
 */
record SearchFields(Function<Resource, String> patient, Function<Resource, String> status,
        Function<Resource, List<CodeableConcept>> code, Function<Resource, List<CodeableConcept>> type,
        Function<Resource, Date> date) {

    static final Map<Class<? extends Resource>, SearchFields> BY_TYPE = Map.ofEntries(
            Map.entry(Patient.class, new SearchFields(r -> r.getIdElement().getIdPart(), null, null, null, null)),
            Map.entry(Condition.class, new SearchFields(
                    r -> ref(((Condition) r).getSubject()), null,
                    r -> List.of(((Condition) r).getCode()), null,
                    r -> ((Condition) r).hasOnsetDateTimeType() ? ((Condition) r).getOnsetDateTimeType().getValue()
                            : ((Condition) r).getRecordedDate())),
            Map.entry(MedicationRequest.class, new SearchFields(
                    r -> ref(((MedicationRequest) r).getSubject()),
                    r -> status(((MedicationRequest) r).getStatusElement()),
                    r -> ((MedicationRequest) r).hasMedicationCodeableConcept()
                            ? List.of(((MedicationRequest) r).getMedicationCodeableConcept()) : List.of(),
                    null, r -> ((MedicationRequest) r).getAuthoredOn())),
            Map.entry(MedicationStatement.class, new SearchFields(
                    r -> ref(((MedicationStatement) r).getSubject()),
                    r -> status(((MedicationStatement) r).getStatusElement()),
                    r -> ((MedicationStatement) r).hasMedicationCodeableConcept()
                            ? List.of(((MedicationStatement) r).getMedicationCodeableConcept()) : List.of(),
                    null, r -> ((MedicationStatement) r).hasEffectiveDateTimeType()
                            ? ((MedicationStatement) r).getEffectiveDateTimeType().getValue()
                            : ((MedicationStatement) r).getDateAsserted())),
            Map.entry(AllergyIntolerance.class, new SearchFields(
                    r -> ref(((AllergyIntolerance) r).getPatient()), null,
                    r -> List.of(((AllergyIntolerance) r).getCode()), null,
                    r -> ((AllergyIntolerance) r).getRecordedDate())),
            Map.entry(Observation.class, new SearchFields(
                    r -> ref(((Observation) r).getSubject()),
                    r -> status(((Observation) r).getStatusElement()),
                    r -> List.of(((Observation) r).getCode()), null,
                    r -> ((Observation) r).hasEffectiveDateTimeType()
                            ? ((Observation) r).getEffectiveDateTimeType().getValue()
                            : ((Observation) r).hasEffectivePeriod() ? ((Observation) r).getEffectivePeriod().getStart()
                            : ((Observation) r).getIssued())),
            Map.entry(Procedure.class, new SearchFields(
                    r -> ref(((Procedure) r).getSubject()),
                    r -> status(((Procedure) r).getStatusElement()),
                    r -> List.of(((Procedure) r).getCode()), null,
                    r -> ((Procedure) r).hasPerformedDateTimeType()
                            ? ((Procedure) r).getPerformedDateTimeType().getValue()
                            : ((Procedure) r).hasPerformedPeriod() ? ((Procedure) r).getPerformedPeriod().getStart() : null)),
            Map.entry(Device.class, new SearchFields(
                    r -> ref(((Device) r).getPatient()),
                    r -> status(((Device) r).getStatusElement()),
                    null, r -> List.of(((Device) r).getType()), null)),
            Map.entry(Coverage.class, new SearchFields(
                    r -> ref(((Coverage) r).getBeneficiary()),
                    r -> status(((Coverage) r).getStatusElement()),
                    null, r -> List.of(((Coverage) r).getType()), null)),
            Map.entry(DocumentReference.class, new SearchFields(
                    r -> ref(((DocumentReference) r).getSubject()),
                    r -> status(((DocumentReference) r).getStatusElement()),
                    null, r -> List.of(((DocumentReference) r).getType()),
                    r -> ((DocumentReference) r).getDate())),
            Map.entry(Medication.class, new SearchFields(null, r -> status(((Medication) r).getStatusElement()),
                    r -> List.of(((Medication) r).getCode()), null, null)),
            Map.entry(Organization.class, new SearchFields(null, null, null, null, null)),
            Map.entry(Practitioner.class, new SearchFields(null, null, null, null, null)));

    private static String ref(Reference reference) {
        return reference == null || !reference.hasReference() ? null : reference.getReferenceElement().getIdPart();
    }

    private static String status(org.hl7.fhir.r4.model.Enumeration<?> status) {
        return status == null ? null : status.getValueAsString();
    }
}
