package org.pumpcds.compounding;

import java.time.Duration;

/**
 * Settings of the compounding checks (documented in README.md, "Configuration").
 *
 * @param temperatureLookback     how far back from the order a body temperature counts as "recent"
 * @param bodyTemperatureC        the temperature evidence must reach to cover body temperature (domain.md MA-03)
 * @param defaultJurisdiction     the state whose pharmacy rules apply when the dispensing pharmacy's state is unknown
 *                                or governed by no pharmacy policy
 * @param feverThresholdC         body temperature from which a reading is a fever
 */
public record CompoundingSettings(Duration temperatureLookback, double bodyTemperatureC,
        String defaultJurisdiction, double feverThresholdC) {
}
