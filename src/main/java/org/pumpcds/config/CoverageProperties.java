package org.pumpcds.config;

import java.time.Duration;
import java.util.List;
import org.pumpcds.coverage.CoverageSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Payer checks (documented in README.md).
 *
 * @param payers        payer identifier to policy table: system (optional), value, policy (cg-surg-79, bcbsaz, cms)
 * @param defaultPolicy policy when no active Coverage maps to one
 * @param trialWindow   how long after a trial starts a pain score still counts, when the trial has no end time
 * @param eriAlarmWindow how long before the order an ERI alarm naming no device counts as the pump in place's
 */
@ConfigurationProperties("pumpcds.coverage")
public record CoverageProperties(
        @DefaultValue List<CoverageSettings.PayerMapping> payers,
        @DefaultValue("cg-surg-79") String defaultPolicy,
        @DefaultValue("72h") Duration trialWindow,
        @DefaultValue("90d") Duration eriAlarmWindow) {
}
