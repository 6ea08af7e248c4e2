package org.pumpcds.orders;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * The orders of one hook call.
 *
 * @param readable   every order of a type the rules read (ServiceRequest, Procedure, DeviceRequest,
 *                   MedicationRequest) plus the Medications, Organizations and DocumentReferences shipped
 *                   alongside for orders to reference, in draftOrders order
 * @param pumpOrders the orders in scope that concern an implantable pump (for order-select: the selected ones)
 * @param pumpsOrdered every pump procedure or device order in draftOrders, selected or not (context for drugs)
 * @param entries    how many draftOrders entries are of the types above (for the call log), read or not
 */
public record DraftOrders(List<Resource> readable, List<PumpOrder> pumpOrders, List<PumpOrder> pumpsOrdered, int entries) {

    /** Orders none of which could concern a pump, decided from their JSON: nothing was parsed. */
    static DraftOrders noPumpOrder(int entries) {
        return new DraftOrders(List.of(), List.of(), List.of(), entries);
    }

    public boolean concernsPump() {
        return !pumpOrders.isEmpty();
    }
}
