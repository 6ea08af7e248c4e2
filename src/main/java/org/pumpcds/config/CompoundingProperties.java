package org.pumpcds.config;

import java.time.Duration;
import org.pumpcds.compounding.CompoundingSettings;
import org.pumpcds.preparation.PreparationReader;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Compounding checks (documented in README.md). No source gives a reservoir volume for every pump or a look-back
 * for "recent" temperature, so both are settings: the reservoir has no default (never assumed), the look-back
 * defaults to 7 days.
 *
 * @param defaultReservoirMl  reservoir volume assumed when neither the Device nor a confirmed model gives one
 * @param temperatureLookback how far before the order a body temperature counts
 * @param bodyTemperatureC    temperature evidence must reach to cover body temperature (domain.md MA-03: 37 °C)
 * @param defaultJurisdiction the state whose pharmacy rules apply when the dispensing pharmacy's state is unknown or
 *                            governed by no pharmacy policy (a state some knowledge/policies file lists)
 * @param feverThresholdC     body temperature from which a reading is a fever (no policy gives one; the default is a
 *                            common clinical definition, set your institution's); also read by the payers' infection signs
 */
@ConfigurationProperties("pumpcds.compounding")
public record CompoundingProperties(
        Double defaultReservoirMl,
        @DefaultValue("7d") Duration temperatureLookback,
        @DefaultValue("37") double bodyTemperatureC,
        @DefaultValue("MA") String defaultJurisdiction,
        @DefaultValue("38.0") double feverThresholdC) {

    public CompoundingSettings settings() {
        return new CompoundingSettings(temperatureLookback, bodyTemperatureC, defaultJurisdiction, feverThresholdC);
    }

    public PreparationReader.Settings preparation() {
        return new PreparationReader.Settings(defaultReservoirMl, temperatureLookback);
    }
}
