package org.pumpcds.coverage;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;

/**
 * The drug a pump will deliver and what that makes the therapy.
 *
 * @param request   the MedicationRequest (draft order, or the patient's active pump drug), or null when none
 * @param reference {@code Type/id} of that request
 * @param codings   every coding naming the drug (order, Medication code, ingredients)
 * @param name      how the order names it
 */
public record TherapyDrug(Therapy therapy, MedicationRequest request, String reference, String routeCode,
        List<Coding> codings, String name) {

    public static TherapyDrug none() {
        return new TherapyDrug(Therapy.UNKNOWN, null, null, null, List.of(), null);
    }
}
