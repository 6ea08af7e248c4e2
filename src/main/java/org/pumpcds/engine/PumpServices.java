package org.pumpcds.engine;

import java.util.List;
import java.util.Optional;
import org.pumpcds.prefetch.PrefetchTemplate;
import org.pumpcds.terminology.CodeSystems;

/** The services both hosts offer and the data each reads: what discovery advertises is what the call uses. */
public final class PumpServices {

    private static final String PATIENT = "{{context.patientId}}";

    /** Observations the rules read: pain score, temperature, weight, height, BMI (LOINC) and local pump facts. */
    private static final String OBSERVATION_CODES = String.join(",",
            CodeSystems.LOINC + "|72514-3", CodeSystems.LOINC + "|8310-5", CodeSystems.LOINC + "|29463-7",
            CodeSystems.LOINC + "|8302-2", CodeSystems.LOINC + "|39156-5",
            CodeSystems.PUMP_CDS + "|modified-ashworth", CodeSystems.PUMP_CDS + "|spasm-frequency",
            CodeSystems.PUMP_CDS + "|pump-eri-alarm", CodeSystems.PUMP_CDS + "|life-expectancy",
            CodeSystems.PUMP_CDS + "|trial-pain-reduction", CodeSystems.PUMP_CDS + "|extrahepatic-disease",
            CodeSystems.PUMP_CDS + "|epithelial-histology");

    /**
     * Every template is required: the rules read silence as "not documented", so data the EHR did not send
     * must be fetched, never assumed empty.
     */
    public static final List<PrefetchTemplate> PREFETCH = List.of(
            new PrefetchTemplate("patient", "Patient/" + PATIENT, true),
            new PrefetchTemplate("conditions", "Condition?patient=" + PATIENT, true),
            new PrefetchTemplate("medicationRequests", "MedicationRequest?patient=" + PATIENT, true),
            new PrefetchTemplate("medicationStatements", "MedicationStatement?patient=" + PATIENT, true),
            new PrefetchTemplate("allergies", "AllergyIntolerance?patient=" + PATIENT, true),
            new PrefetchTemplate("observations",
                    "Observation?patient=" + PATIENT + "&code=" + OBSERVATION_CODES + "&_sort=-date", true),
            new PrefetchTemplate("procedures", "Procedure?patient=" + PATIENT, true),
            new PrefetchTemplate("devices", "Device?patient=" + PATIENT + "&status=active", true),
            new PrefetchTemplate("coverage", "Coverage?patient=" + PATIENT + "&status=active", true),
            new PrefetchTemplate("stabilityEvidence", "DocumentReference?patient=" + PATIENT
                    + "&status=current&type=" + CodeSystems.PUMP_CDS + "|stability-evidence", true));

    private static final String USAGE = "Reads the patient's conditions, medication history (active and stopped), "
            + "allergies, pain/temperature/weight observations, procedures, implanted devices, coverage and "
            + "stability-evidence documents. Send them as prefetch, or send fhirServer with fhirAuthorization "
            + "so the service can query them; without either it answers 412 for a pump order.";

    private static final List<CdsServiceDescriptor> SERVICES = List.of(
            new CdsServiceDescriptor("pump-order-select", CdsServiceDescriptor.ORDER_SELECT,
                    "Implantable infusion pump: early order checks",
                    "While implantable infusion pump procedures, pump devices or drugs for a pump "
                            + "(intrathecal, epidural, intra-arterial, intraperitoneal) are selected, flags unmet "
                            + "payer medical-necessity criteria and missing stability/compatibility documentation "
                            + "for compounded pump preparations.",
                    PREFETCH, USAGE),
            new CdsServiceDescriptor("pump-order-sign", CdsServiceDescriptor.ORDER_SIGN,
                    "Implantable infusion pump: signing checks",
                    "Before implantable infusion pump orders are signed, checks each against the payer's "
                            + "medical-necessity criteria (CG-SURG-79, BCBS Arizona, CMS) and compounded pump "
                            + "drugs against stability/compatibility documentation rules (MA Policy 2024-02, "
                            + "Utah R156-17b-614a), citing the evidence used.",
                    PREFETCH, USAGE));

    private PumpServices() {
    }

    public static List<CdsServiceDescriptor> all() {
        return SERVICES;
    }

    public static Optional<CdsServiceDescriptor> find(String id) {
        return SERVICES.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
