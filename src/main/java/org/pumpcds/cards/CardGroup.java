package org.pumpcds.cards;

import java.util.List;
import java.util.Map;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.PolicyCitation;

/**
 * The findings that make one card: one order, one policy family.
 *
 * @param frame  the frame under {@code cards-templates/frames/} (source, header, override reasons)
 * @param policy the policy the card cites as its source (its id becomes source.topic)
 * @param facts  values the frame may show (order label, why this policy applied)
 */
public record CardGroup(String frame, String orderReference, PolicyCitation policy, List<Finding> findings,
        Map<String, Object> facts) {

    public CardGroup {
        findings = List.copyOf(findings);
        facts = Map.copyOf(facts);
    }
}
