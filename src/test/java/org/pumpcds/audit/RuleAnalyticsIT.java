package org.pumpcds.audit;

/** {@link RuleAnalyticsContract} on the embedded default database (H2). */
class RuleAnalyticsIT extends RuleAnalyticsContract {
}
