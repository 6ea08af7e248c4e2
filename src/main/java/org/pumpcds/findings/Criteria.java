package org.pumpcds.findings;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pumpcds.knowledge.Policy;

/** Builds findings for a policy's criteria: the indicator, citation and template come from the policy file. */
public final class Criteria {

    private Criteria() {
    }

    public static Finding finding(Policy policy, String criterionId, Finding.Status status, String order,
            List<Evidence> evidence, Map<String, Object> facts, List<ProposedAction> actions) {
        Policy.Criterion criterion = policy.criterion(criterionId)
                .orElseThrow(() -> new IllegalStateException("No criterion " + criterionId + " in policy " + policy.id()));
        Indicator indicator = switch (status) {
            case MET, INFORMATION -> Indicator.INFO;
            case UNMET -> indicator(criterion.whenUnmet());
            case NOT_DOCUMENTED -> indicator(criterion.whenNotDocumented());
        };
        java.util.Map<String, Object> withCriterion = new java.util.HashMap<>(facts);
        withCriterion.putIfAbsent("title", criterion.title() == null ? criterion.id() : criterion.title());
        withCriterion.putIfAbsent("needs", criterion.needs());
        withCriterion.putIfAbsent("section", criterion.section());
        if (criterion.unmetSummary() != null) {
            withCriterion.putIfAbsent("unmetSummary", criterion.unmetSummary());
        }
        return new Finding(criterion.id(), criterion.template(), indicator, status, order,
                new PolicyCitation(policy.id(), policy.label(), policy.sourceFile(), criterion.section(), policy.url()),
                evidence, withCriterion, actions);
    }

    public static PolicyCitation citation(Policy policy) {
        return new PolicyCitation(policy.id(), policy.label(), policy.sourceFile(), null, policy.url());
    }

    private static Indicator indicator(String code) {
        return Indicator.valueOf(code.toUpperCase(Locale.ROOT));
    }
}
