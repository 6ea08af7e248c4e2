package org.pumpcds.orders;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * One draft order recognised as concerning an implantable pump.
 *
 * @param reference          {@code Type/id} of the order as it appears in draftOrders
 * @param kind               procedure, device or drug
 * @param resource           the parsed order
 * @param matched            the coding that made it a pump order (procedure/device code, or the route for a drug)
 * @param label              short human label for cards, from the order's own coding/text
 * @param needsImplantedPump a drug by a pump route with no pump procedure/device ordered alongside: it is a
 *                           pump drug only if the patient has an implanted pump (else, e.g., a one-off spinal)
 */
public record PumpOrder(String reference, OrderKind kind, Resource resource, Coding matched, String label,
        boolean needsImplantedPump) {
}
