package org.pumpcds.orders;

import java.util.List;
import java.util.Map;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.Indicator;
import org.pumpcds.findings.PolicyCitation;

/** The information finding that says a pump order was recognised and which policy checks apply to it. */
public final class OrderRecognition {

    public static final String RULE_ID = "pump-cds.order-recognised";

    /** The order was recognised by the code sets of CG-SURG-79's coding section. */
    private static final PolicyCitation CODING_SECTION = new PolicyCitation("cg-surg-79",
            "CG-SURG-79 Implantable Infusion Pumps", "001_49491f8a6899f245.txt", "Coding", null);
    /** The card is the service's own note, not a policy's verdict. */
    public static final PolicyCitation SERVICE = new PolicyCitation("pump-cds", "Implantable pump CDS", null, null, null);

    private OrderRecognition() {
    }

    public static Finding of(PumpOrder order) {
        Map<String, Object> facts = Map.of(
                "label", order.label(),
                "procedure", order.kind() == OrderKind.PROCEDURE,
                "device", order.kind() == OrderKind.DEVICE,
                "drug", order.kind() == OrderKind.DRUG,
                "procedureOrDevice", order.kind() != OrderKind.DRUG);
        return new Finding(RULE_ID, "order-recognised", Indicator.INFO, Finding.Status.INFORMATION,
                order.reference(), CODING_SECTION, List.of(), facts);
    }
}
