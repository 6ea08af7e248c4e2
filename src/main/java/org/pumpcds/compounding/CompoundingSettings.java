package org.pumpcds.compounding;

import java.time.Duration;

/**
 * Settings of the compounding checks (documented in README.md, "Configuration").
 *
 * @param defaultReservoirMl      pump reservoir volume used to compute a refill interval when neither the Device
 *                                nor a confirmed model says; null = never assume one
 * @param temperatureLookback     how far back from the order a body temperature counts as "recent"
 * @param bodyTemperatureC        the temperature evidence must reach to cover body temperature (domain.md MA-03)
 * @param defaultJurisdiction     pharmacy rules applied when the dispensing pharmacy's state is unknown or has none
 * @param feverThresholdC         body temperature from which a reading is a fever
 */
public record CompoundingSettings(Double defaultReservoirMl, Duration temperatureLookback, double bodyTemperatureC,
        Jurisdiction defaultJurisdiction, double feverThresholdC) {
}
