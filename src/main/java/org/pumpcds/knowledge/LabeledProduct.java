package org.pumpcds.knowledge;

import java.util.List;
import java.util.regex.Pattern;

/** An FDA-labeled drug and the pumps and routes its labeling names (knowledge/stability/labeled-products.yaml). */
public record LabeledProduct(String id, String product, Ingredient ingredient, List<Concentration> concentrations,
        Boolean anyConcentration, Dilution dilution, List<LabeledUse> uses, String source) {

    /** The label allows dilution with these diluents only (diluent ids of substances.yaml). */
    public record Dilution(List<String> diluents) {
    }

    /** A labeled pump with its routes (SNOMED CT) and, where the pump's labeling narrows it, a concentration range. */
    public record LabeledUse(String pump, List<String> routes, ConcentrationRange concentrationRange) {
    }

    public LabeledProduct {
        concentrations = concentrations == null ? List.of() : List.copyOf(concentrations);
        uses = uses == null ? List.of() : List.copyOf(uses);
    }

    /**
     * Whether the order names a salt other than the labeled one (Infumorph is morphine sulfate: morphine hydrochloride is
     * another drug product). An order that names no salt is judged by its other identities, as before.
     */
    public boolean saltDiffers(String orderedSalt) {
        return ingredient.saltForm() != null && orderedSalt != null && !ingredient.saltForm().equalsIgnoreCase(orderedSalt);
    }

    /** The ingredient with the salt the label names (e.g. "morphine sulfate"); the name alone when it names none. */
    public String labeledSalt() {
        return ingredient.saltForm() == null ? ingredient.name() : ingredient.name() + " " + ingredient.saltForm();
    }

    /** Why an order that states no salt and does not name this product is not shown to be it, for the card. */
    public String saltNotStated() {
        return "salt not stated, and the order does not name " + product + ", which is " + labeledSalt();
    }

    /**
     * Whether an order whose salt is unknown may still be this product: only when the product's labeling does not
     * define it by a salt, or the order names the product.
     */
    public boolean identifiedWithoutSalt(String orderLabel) {
        return ingredient.saltForm() == null || namedIn(orderLabel);
    }

    /** Whether an order's text names this product by its brand (the first word of {@link #product}), as a word. */
    public boolean namedIn(String orderLabel) {
        String brand = product.split("[\\s(]+")[0];
        return orderLabel != null && Pattern.compile("\\b" + Pattern.quote(brand) + "\\b",
                Pattern.CASE_INSENSITIVE).matcher(orderLabel).find();
    }

    public boolean anyConcentrationLabeled() {
        return Boolean.TRUE.equals(anyConcentration);
    }

    /**
     * Whether a strength (mg/mL) with these diluents is labeled: empty when not; otherwise true for a labeled
     * dilution (below the highest labeled strength, in the diluent the label allows) and false for a labeled strength.
     */
    public java.util.Optional<Boolean> labeledStrength(Double mgPerMl, List<String> diluents, SubstanceIdentities identities) {
        // every diluent must be the very one the label names: an unidentified or other diluent is not labeled use
        boolean dilutionAllowed = dilution != null && diluents.stream()
                .allMatch(d -> identities.diluent(d).map(i -> dilution.diluents().contains(i.id())).orElse(false));
        if (anyConcentrationLabeled()) {
            return diluents.isEmpty() || dilutionAllowed ? java.util.Optional.of(!diluents.isEmpty()) : java.util.Optional.empty();
        }
        if (mgPerMl == null) {
            return java.util.Optional.empty();
        }
        for (Concentration labeled : concentrations) {
            double mg = labeled.mgPerMl().orElseThrow();
            if (Math.abs(mg - mgPerMl) <= 1e-9 * Math.max(1, mg) && diluents.isEmpty()) {
                return java.util.Optional.of(false);
            }
        }
        double highest = concentrations.stream().mapToDouble(c -> c.mgPerMl().orElseThrow()).max().orElse(0);
        if (dilutionAllowed && !diluents.isEmpty() && mgPerMl < highest) {
            return java.util.Optional.of(true);
        }
        return java.util.Optional.empty();
    }
}
