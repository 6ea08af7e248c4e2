package org.pumpcds.knowledge;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One policy document as the rules apply it (knowledge/policies/*.yaml; schema: knowledge/schema/policy.schema.json).
 *
 * @param id         stable policy id, e.g. {@code ma-2024-02}
 * @param label      how a card names it as its source
 * @param sourceFile the document in shared/policies/ (or "public labeling" for label facts)
 * @param url        public address, or null
 * @param family     {@code payer} (medical necessity, chosen by the patient's coverage), {@code pharmacy} (compounding
 *                   rules, chosen by the dispensing pharmacy's state) or {@code label} (the drug labels, whatever the payer)
 * @param states     pharmacy policies: the states (codes and names) whose pharmacies they govern
 * @param always     criteria evaluated on every episode (each still subject to its own {@code when})
 * @param pathways   payer policies: the first pathway whose {@code when} matches adds its criteria
 */
public record Policy(String id, String label, String sourceFile, String url, String family, List<String> states,
        List<String> always, List<Pathway> pathways, List<Criterion> criteria) {

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
     * @param card              {@code contraindications} for a clinical contraindication or label warning: it goes on
     *                          that card with clinical override reasons, never on a payer or pharmacy card; absent otherwise
     * @param when              applies only when this holds (optional)
     * @param check             how the criterion is decided: {@code kind} and its parameters
     */
    public record Criterion(String id, String title, String section, String needs, String whenUnmet,
            String whenNotDocumented, String template, String unmetSummary, String card, When when,
            Map<String, Object> check) {

        public boolean contraindication() {
            return "contraindications".equals(card);
        }

        /** The check's kind, e.g. {@code diagnosis}. */
        public String kind() {
            return (String) check.get("kind");
        }
    }

    /**
     * When a pathway or criterion applies; every stated condition must hold.
     *
     * @param therapy     the pump therapy is one of these (e.g. neuraxial-analgesia; unknown when no pump drug)
     * @param notTherapy  the pump therapy is none of these
     * @param diagnosis   an active condition in one of these value sets (the first that has one is cited)
     * @param noDiagnosis no active condition in any of these value sets
     * @param drug        the pump drug is in this value set
     * @param replacement the pump replaces an implanted one (true) or is a first implant (false)
     */
    public record When(List<String> therapy, List<String> notTherapy, List<String> diagnosis, List<String> noDiagnosis,
            String drug, Boolean replacement) {
    }

    /**
     * One indication or exclusion of a payer policy.
     *
     * @param when     when it applies; absent, always (the catch-all, listed last)
     * @param use      how the policy names this use (shown by exclusion cards, e.g. "insulin for diabetes"), optional
     * @param cite     value sets whose active conditions the pathway's exclusion cites as well (optional)
     * @param criteria the criteria it adds, in order
     */
    public record Pathway(When when, String use, List<String> cite, List<String> criteria) {
    }

    public Policy {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
        states = states == null ? List.of() : List.copyOf(states);
        always = always == null ? List.of() : List.copyOf(always);
        pathways = pathways == null ? List.of() : List.copyOf(pathways);
    }

    public Optional<Criterion> criterion(String id) {
        return criteria.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The criterion decided by a check of this kind (pharmacy and label elements), if the policy has one. */
    public Optional<Criterion> criterionOfKind(String kind) {
        return criteria.stream().filter(c -> kind.equals(c.kind())).findFirst();
    }
}
