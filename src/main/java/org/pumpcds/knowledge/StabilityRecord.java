package org.pumpcds.knowledge;

import java.util.List;

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
 */
public record StabilityRecord(String id, String evidenceType, List<Ingredient> ingredients, String diluent,
        Container container, Double temperatureC, Double durationDays, Double acceptancePercent, String result,
        String citation, String url, String budMethod, List<String> unconfirmed, String source) {

    /**
     * @param type {@code implantable-pump} (with {@code pump}: a pump id or model name), {@code implantable-system}
     *             (model not stated), {@code glass}, {@code syringe}, {@code bag}, {@code lab-simulation}, {@code in-vivo}
     */
    public record Container(String type, String pump, String description) {
    }

    public StabilityRecord {
        ingredients = ingredients == null ? List.of() : List.copyOf(ingredients);
        unconfirmed = unconfirmed == null ? List.of() : List.copyOf(unconfirmed);
    }

    public boolean confirms(String field) {
        return !unconfirmed.contains(field);
    }
}
