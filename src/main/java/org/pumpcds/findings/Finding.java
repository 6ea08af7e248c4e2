package org.pumpcds.findings;

import java.util.List;
import java.util.Map;

/**
 * One conclusion about one order.
 *
 * @param ruleId         stable id, e.g. {@code ma-2024-02.duration}; listed in the card's findings extension
 * @param template       the finding template under {@code cards-templates/} that words it
 * @param indicator      urgency
 * @param status         met / unmet / not documented / information
 * @param orderReference {@code Type/id} of the draft order concerned
 * @param citation       the policy (document and section) the rule applies
 * @param evidence       the resources and values used, or looked for and missed
 * @param facts          values the template may show (labels, numbers); never decisions
 * @param actions        changes a suggestion may offer (worded by the template under the same key)
 */
public record Finding(String ruleId, String template, Indicator indicator, Status status, String orderReference,
        PolicyCitation citation, List<Evidence> evidence, Map<String, Object> facts, List<ProposedAction> actions) {

    public enum Status { MET, UNMET, NOT_DOCUMENTED, INFORMATION }

    public Finding {
        evidence = List.copyOf(evidence);
        facts = Map.copyOf(facts);
        actions = List.copyOf(actions);
    }

    /** A finding without proposed actions. */
    public Finding(String ruleId, String template, Indicator indicator, Status status, String orderReference,
            PolicyCitation citation, List<Evidence> evidence, Map<String, Object> facts) {
        this(ruleId, template, indicator, status, orderReference, citation, evidence, facts, List.of());
    }
}
