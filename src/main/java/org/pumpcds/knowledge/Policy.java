package org.pumpcds.knowledge;

import java.util.List;
import java.util.Optional;

/**
 * One policy document as the rules apply it (knowledge/policies/*.yaml).
 *
 * @param id         stable policy id, e.g. {@code ma-2024-02}
 * @param label      how a card names it as its source
 * @param sourceFile the document in shared/policies/ (or "public labeling" for label facts)
 * @param url        public address, or null
 */
public record Policy(String id, String label, String sourceFile, String url, List<Criterion> criteria) {

    /**
     * One criterion.
     *
     * @param id                stable rule id, {@code <policy>.<criterion>}
     * @param title             short name of the criterion, for cards (optional)
     * @param section           where in the source file
     * @param needs             what the criterion requires, in the source's terms
     * @param whenUnmet         indicator when unmet: info, warning or critical
     * @param whenNotDocumented indicator when the record is silent (never read as absence)
     * @param template          the finding template that words it
     * @param unmetSummary      the card summary when unmet, said positively (optional; a criterion titled "No
     *                          allergy ..." would otherwise read as a double negative, "No allergy ...: not met")
     * @param kind              {@code contraindication} for a clinical contraindication or label warning: it goes on
     *                          its own card with clinical override reasons, never on a payer or pharmacy card;
     *                          absent for every other criterion
     */
    public record Criterion(String id, String title, String section, String needs, String whenUnmet,
            String whenNotDocumented, String template, String unmetSummary, String kind) {

        public boolean contraindication() {
            return "contraindication".equals(kind);
        }
    }

    public Policy {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
    }

    public Optional<Criterion> criterion(String id) {
        return criteria.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
