package org.pumpcds.findings;

import java.util.List;
import java.util.Map;

/**
 * One conclusion about one order.
 *
 * @param ruleId         stable id, e.g. {@code cg-surg-79.indication-c}; travels in the card's source.topic
 * @param template       the card template under {@code cards-templates/} that renders it
 * @param indicator      urgency of the card
 * @param status         met / unmet / not documented / information
 * @param orderReference {@code Type/id} of the draft order concerned
 * @param citation       the policy (document and section) the rule applies
 * @param evidence       the resources and values used, or looked for and missed
 * @param facts          values the template may show (labels, numbers); never decisions
 */
public record Finding(String ruleId, String template, Indicator indicator, Status status, String orderReference,
        PolicyCitation citation, List<Evidence> evidence, Map<String, Object> facts) {

    public enum Status { MET, UNMET, NOT_DOCUMENTED, INFORMATION }
}
