package org.pumpcds.engine;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.pumpcds.coverage.TherapyClassifier;
import org.pumpcds.orders.DraftOrders;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/**
 * The references the rules may follow out of the orders and the record, so that they can be read before evaluation:
 * <ul>
 *   <li>of a draft MedicationRequest, and of an active one on record by a pump route (where TherapyClassifier looks
 *       for the pump drug when no draft names one): its Medication, its dispensing pharmacy (Organization) and
 *       its attached evidence (DocumentReference) — what PreparationReader and TherapyClassifier read;</li>
 *   <li>of an active Coverage: its payer (Organization) — what PayerPolicySelector reads.</li>
 * </ul>
 * Only relative references of the type the rule reads there: a contained resource needs no read, an absolute URL
 * could name another host than fhirServer, and a reference to another type would be ignored by the rule anyway.
 */
final class FollowedReferences {

    private FollowedReferences() {
    }

    static Set<String> of(DraftOrders orders, PatientRecord record, ValueSetIndex valueSets) {
        Set<String> references = new LinkedHashSet<>();
        Stream<MedicationRequest> drafts = orders.readable().stream()
                .filter(MedicationRequest.class::isInstance).map(MedicationRequest.class::cast);
        Stream<MedicationRequest> pumpDrugsOnRecord = record.all(MedicationRequest.class,
                        TherapyClassifier.mayBeActivePumpDrug(valueSets)).stream()
                .filter(request -> request.getStatus() == MedicationRequest.MedicationRequestStatus.ACTIVE)
                .filter(request -> request.getDosageInstruction().stream()
                        .anyMatch(dosage -> valueSets.firstMatch(ValueSets.PUMP_ROUTES, dosage.getRoute()).isPresent()));
        Stream.concat(drafts, pumpDrugsOnRecord).forEach(request -> {
            if (request.hasMedicationReference()) {
                add(references, "Medication", request.getMedicationReference());
            }
            add(references, "Organization", request.getDispenseRequest().getPerformer());
            request.getSupportingInformation().forEach(information -> add(references, "DocumentReference", information));
        });
        for (Coverage coverage : record.all(Coverage.class)) {
            if (coverage.getStatus() == null || coverage.getStatus() == Coverage.CoverageStatus.ACTIVE) {
                coverage.getPayor().forEach(payor -> add(references, "Organization", payor));
            }
        }
        return references;
    }

    private static void add(Set<String> references, String type, Reference reference) {
        if (reference.getResource() == null && reference.hasReference() && reference.getReference().startsWith(type + "/")) {
            references.add(reference.getReference());
        }
    }
}
