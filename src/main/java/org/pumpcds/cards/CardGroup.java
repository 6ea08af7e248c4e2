package org.pumpcds.cards;

import java.util.List;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.PolicyCitation;

/**
 * The findings that make one card: one order, one policy family.
 *
 * @param policy the policy the card cites as its source (its id becomes source.topic)
 * @param facts  values the frame may show (order label, why this policy applied), typed per frame
 */
public record CardGroup(String orderReference, PolicyCitation policy, List<Finding> findings, FrameFacts facts) {

    public CardGroup {
        findings = List.copyOf(findings);
    }

    public String frame() {
        return facts.frame();
    }
}
