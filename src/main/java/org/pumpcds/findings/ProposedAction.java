package org.pumpcds.findings;

import org.hl7.fhir.r4.model.Resource;

/**
 * A change a card may suggest: create or update a resource (e.g. the draft MedicationRequest with a shorter
 * expectedSupplyDuration). The wording lives in the finding's template under {@code suggestions.<key>}.
 *
 * @param key      which suggestion of the template words it
 * @param type     {@code create} or {@code update}
 * @param resource the complete resource to create or the whole updated resource
 */
public record ProposedAction(String key, String type, Resource resource) {
}
