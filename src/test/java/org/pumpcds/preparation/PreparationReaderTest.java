package org.pumpcds.preparation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Ratio;
import org.junit.jupiter.api.Test;
import org.pumpcds.preparation.PumpPreparation.PreparedIngredient;

/** Unit conversions and the refill interval computed from reservoir volume and infusion rate. */
class PreparationReaderTest {

    private static Quantity q(double value, String code) {
        return new Quantity().setValue(value).setCode(code).setSystem("http://unitsofmeasure.org");
    }

    private static MedicationRequest withRate(Quantity rate) {
        MedicationRequest request = new MedicationRequest();
        request.addDosageInstruction(new Dosage().addDoseAndRate(new Dosage.DosageDoseAndRateComponent().setRate(rate)));
        return request;
    }

    @Test
    void strengthsConvertToMgPerMl() {
        assertThat(PreparationReader.mgPerMl(new Ratio().setNumerator(q(1000, "ug")).setDenominator(q(1, "mL")))).isEqualTo(1.0);
        assertThat(PreparationReader.mgPerMl(new Ratio().setNumerator(q(500, "mg")).setDenominator(q(20, "mL")))).isEqualTo(25.0);
        assertThat(PreparationReader.mgPerMl(new Ratio().setNumerator(q(1, "g")).setDenominator(q(1, "L")))).isEqualTo(1.0);
        assertThat(PreparationReader.mgPerMl(new Ratio().setNumerator(q(1, "mmol")).setDenominator(q(1, "mL")))).isNull();
        assertThat(PreparationReader.mgPerMl(new Ratio().setNumerator(q(1, "mg")))).isNull();
    }

    @Test
    void durationsConvertToDays() {
        assertThat(PreparationReader.days(q(90, "d"))).isEqualTo(90.0);
        assertThat(PreparationReader.days(q(12, "wk"))).isEqualTo(84.0);
        assertThat(PreparationReader.days(q(48, "h"))).isEqualTo(2.0);
        assertThat(PreparationReader.days(q(1, "mo"))).isEqualTo(30.4375);
        assertThat(PreparationReader.days(q(1, "furlong"))).isNull();
    }

    @Test
    void dailyVolumeFromVolumeRates() {
        assertThat(PreparationReader.dailyVolume(withRate(q(0.5, "mL/d")), List.of())).isEqualTo(0.5);
        assertThat(PreparationReader.dailyVolume(withRate(q(0.02, "mL/h")), List.of())).isCloseTo(0.48, within(1e-9));
        Ratio perWeek = new Ratio().setNumerator(q(3.5, "mL")).setDenominator(q(1, "wk"));
        assertThat(PreparationReader.dailyVolume(withRate(null).addDosageInstruction(new Dosage().addDoseAndRate(
                new Dosage.DosageDoseAndRateComponent().setRate(perWeek))), List.of())).isEqualTo(0.5);
    }

    @Test
    void dailyVolumeFromAMassRateNeedsTheConcentration() {
        PreparedIngredient baclofen = new PreparedIngredient("1292", "baclofen", null, 2.0, true);
        assertThat(PreparationReader.dailyVolume(withRate(q(500, "ug/d")), List.of(baclofen))).isEqualTo(0.25);
        PreparedIngredient unknownStrength = new PreparedIngredient("1292", "baclofen", null, null, true);
        assertThat(PreparationReader.dailyVolume(withRate(q(500, "ug/d")), List.of(unknownStrength))).isNull();
    }

    @Test
    void reservoirOverDailyVolumeIsTheRefillInterval() {
        // 40 mL reservoir at 0.33 mL/day: the S24 example (about 121 days).
        double mlPerDay = PreparationReader.dailyVolume(withRate(q(0.33, "mL/d")), List.of());
        assertThat(40 / mlPerDay).isCloseTo(121.2, within(0.1));
    }
}
