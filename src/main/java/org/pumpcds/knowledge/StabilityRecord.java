package org.pumpcds.knowledge;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One piece of stability/compatibility evidence: a published study condition (knowledge/stability/studies.yaml)
 * or a pharmacy-attached record (a StabilityEvidence DocumentReference carrying the same fields as JSON).
 *
 * @param evidenceType      {@code published}, {@code direct-testing} or {@code fda-label}
 * @param container         what was tested: an implantable pump (model), a generic implantable system, glass, ...
 * @param temperatureC      test temperature
 * @param durationDays      how long the preparation met the acceptance criterion
 * @param acceptancePercent the criterion (% of initial), when stated
 * @param budMethod         how the beyond-use date was set (Utah R156-17b-614a (3)(i)(iii)); pharmacy records
 * @param unconfirmed       fields the source did not confirm ({@code concentrations}, {@code authors}, ...):
 *                          treated as not supporting
 * @param testedCombinations when only some pairings of the ingredients' concentrations were tested: each one, by
 *                          ingredient name, in that ingredient's concentration unit; empty when the whole ranges
 *                          were tested
 */
public record StabilityRecord(String id, String evidenceType, List<Ingredient> ingredients, String diluent,
        Container container, Double temperatureC, Double durationDays, Double acceptancePercent, String result,
        String citation, String url, String budMethod, List<String> unconfirmed, String source,
        List<Map<String, Double>> testedCombinations) {

    /**
     * @param type {@code implantable-pump} (with {@code pump}: a pump id or model name), {@code implantable-system}
     *             (model not stated), {@code glass}, {@code syringe}, {@code bag}, {@code lab-simulation}, {@code in-vivo}
     */
    public record Container(String type, String pump, String description) {
    }

    public StabilityRecord {
        ingredients = ingredients == null ? List.of() : List.copyOf(ingredients);
        unconfirmed = unconfirmed == null ? List.of() : List.copyOf(unconfirmed);
        testedCombinations = testedCombinations == null ? List.of() : testedCombinations.stream().map(Map::copyOf).toList();
    }

    /**
     * Whether these concentrations (mg/mL by ingredient name, for the study's ingredients) are covered as a
     * combination: always when the study tested ranges; otherwise only at a pairing it tested.
     */
    public boolean testedTogether(Map<String, Double> mgPerMlByName) {
        if (testedCombinations.isEmpty()) {
            return true;
        }
        // a pairing that names no ingredient of the study or an unknown unit (a pharmacy record may) covers nothing
        return testedCombinations.stream().anyMatch(combination -> combination.entrySet().stream().allMatch(tested -> {
            Double ordered = mgPerMlByName.get(tested.getKey());
            OptionalDouble mg = ingredients.stream().filter(i -> i.name().equals(tested.getKey()) && i.concentration() != null)
                    .findFirst().map(i -> Concentration.toMgPerMl(tested.getValue(), i.concentration().unit()))
                    .orElse(OptionalDouble.empty());
            return ordered != null && mg.isPresent()
                    && Math.abs(ordered - mg.getAsDouble()) <= 1e-9 * Math.max(1, mg.getAsDouble());
        }));
    }

    public boolean confirms(String field) {
        return !unconfirmed.contains(field);
    }
}
