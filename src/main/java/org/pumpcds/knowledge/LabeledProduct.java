package org.pumpcds.knowledge;

import java.util.List;

/** An FDA-labeled drug and the pumps and routes its labeling names (knowledge/stability/labeled-products.yaml). */
public record LabeledProduct(String id, String product, Ingredient ingredient, List<Concentration> concentrations,
        Boolean anyConcentration, Dilution dilution, List<LabeledUse> uses, String source) {

    /** The label allows dilution with this diluent (free text, matched by name). */
    public record Dilution(String diluent) {
    }

    /** A labeled pump with its routes (SNOMED CT) and, where the pump's labeling narrows it, a concentration range. */
    public record LabeledUse(String pump, List<String> routes, ConcentrationRange concentrationRange) {
    }

    public LabeledProduct {
        concentrations = concentrations == null ? List.of() : List.copyOf(concentrations);
        uses = uses == null ? List.of() : List.copyOf(uses);
    }

    public boolean anyConcentrationLabeled() {
        return Boolean.TRUE.equals(anyConcentration);
    }
}
