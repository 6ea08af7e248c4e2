package org.pumpcds.coverage;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the payer checks (documented in README.md).
 *
 * @param payers        payer identifiers (Organization.identifier or Coverage.payor.identifier system|value) to policy ids
 * @param defaultPolicy policy applied when no active Coverage maps to one
 * @param trialWindow   how long after a trial starts a pain score counts as "after the trial" when the trial
 *                      Procedure has no performedPeriod (no source gives one)
 * @param temperatureLookback how far before the order a body temperature counts as recent (the compounding setting)
 * @param feverThresholdC     body temperature from which a reading is a fever (the compounding setting)
 * @param eriAlarmWindow      how long before the order an elective replacement indicator alarm that names no device
 *                            is taken as the pump in place's (domain.md: the pump stops about 90 days after its alarm)
 */
public record CoverageSettings(List<PayerMapping> payers, String defaultPolicy, Duration trialWindow,
        Duration temperatureLookback, double feverThresholdC, Duration eriAlarmWindow) {

    /** The ERI alarm window's default: domain.md's ERI row, "replace within 90 days of alarm" (confirmed). */
    public static final Duration DEFAULT_ERI_ALARM_WINDOW = Duration.ofDays(90);

    /**
     * One row of the payer table: a payer identifier ({@code system} may be null to match the value under any
     * system) or a {@code plan} (Coverage.class value), mapped to a policy id.
     */
    public record PayerMapping(String system, String value, String plan, String policy) {
    }
}
