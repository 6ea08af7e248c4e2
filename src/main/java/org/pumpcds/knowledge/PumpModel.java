package org.pumpcds.knowledge;

import java.util.List;

/** An implantable pump model (knowledge/stability/pumps.yaml). */
public record PumpModel(String id, List<String> names, List<String> modelNumbers, List<Reservoir> reservoirs,
        String source) {

    /** A reservoir volume the source confirms for one model number. */
    public record Reservoir(String modelNumber, double ml) {
    }

    public PumpModel {
        names = names == null ? List.of() : List.copyOf(names);
        modelNumbers = modelNumbers == null ? List.of() : List.copyOf(modelNumbers);
        reservoirs = reservoirs == null ? List.of() : List.copyOf(reservoirs);
    }

    public String displayName() {
        return names.isEmpty() ? id : names.get(0);
    }
}
