package org.pumpcds.preparation;

import java.util.List;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.pumpcds.knowledge.PumpModel;
import org.pumpcds.knowledge.StabilityRecord;

/**
 * What a pump drug order asks the pharmacy to prepare, as far as the record says. Every "unknown" is null, so a
 * rule can say "not documented" instead of guessing.
 *
 * @param label            the order's name for the drug
 * @param actives          active ingredients with concentration
 * @param diluents         inactive ingredients / vehicles, by name
 * @param routeCode        SNOMED CT route
 * @param pump             the pump model, identified from the implanted Device or the ordered pump
 * @param pumpDescription  what the record says about the pump (for cards), or null
 * @param plannedDays      planned interval until the next refill, or null
 * @param plannedBasis     how plannedDays was found (for cards)
 * @param firstFill        the first fill of a new pump (pump ordered alongside, or flagged on the order)
 * @param maxTemperatureC  highest body temperature in the look-back window, or null when none recorded
 * @param temperatureRef   the Observation that gave it
 * @param dispensingState  state of the dispensing pharmacy, or null
 * @param attached         pharmacy-attached evidence linked to the order
 */
public record PumpPreparation(String orderReference, MedicationRequest request, String label,
        List<PreparedIngredient> actives, List<String> diluents, String routeCode, PumpModel pump,
        String pumpDescription, Double plannedDays, String plannedBasis, boolean firstFill, Double maxTemperatureC,
        String temperatureRef, String dispensingState, List<AttachedEvidence> attached) {

    /**
     * @param rxcui      RxNorm ingredient code of the identified ingredient (null when unidentified or name-only)
     * @param name       the name as ordered, or the identity's id when it has no code
     * @param saltForm   salt named on the order (sulfate, hydrochloride, ...), or null
     * @param mgPerMl    concentration, or null when the order gives none
     * @param identified whether knowledge/stability/substances.yaml knows the ingredient; an unidentified one is never
     *                   the same as a labeled product or a studied ingredient
     */
    public record PreparedIngredient(String rxcui, String name, String saltForm, Double mgPerMl, boolean identified) {
    }

    /** A DocumentReference linked to the order, read as an evidence record, or why it could not be read. */
    public record AttachedEvidence(String reference, StabilityRecord record, String problem) {
    }
}
