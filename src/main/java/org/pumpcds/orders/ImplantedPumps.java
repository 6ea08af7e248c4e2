package org.pumpcds.orders;

import java.util.List;
import org.hl7.fhir.r4.model.Device;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.terminology.ValueSetIndex;
import org.pumpcds.terminology.ValueSets;

/** The patient's implanted pumps: active Devices whose type is in the pump-devices value set. */
public final class ImplantedPumps {

    private ImplantedPumps() {
    }

    public static List<Device> in(PatientRecord record, ValueSetIndex valueSets) {
        return record.all(Device.class).stream()
                .filter(d -> d.getStatus() == Device.FHIRDeviceStatus.ACTIVE)
                .filter(d -> valueSets.firstMatch(ValueSets.PUMP_DEVICES, d.getType()).isPresent())
                .toList();
    }

    /** The pump orders that stand once the record is known: a pump-route drug needs a pump ordered or implanted. */
    public static List<PumpOrder> confirm(DraftOrders orders, PatientRecord record, ValueSetIndex valueSets) {
        boolean implanted = !in(record, valueSets).isEmpty();
        return orders.pumpOrders().stream().filter(o -> !o.needsImplantedPump() || implanted).toList();
    }
}
