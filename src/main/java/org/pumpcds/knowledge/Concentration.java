package org.pumpcds.knowledge;

import java.util.Locale;
import java.util.OptionalDouble;

/** An amount per mL, as written in knowledge files and orders ("mg/mL", "mcg/mL", UCUM "ug/mL"). */
public record Concentration(double value, String unit) {

    /** The value in mg/mL, or empty for a unit that is not mass per volume. */
    public OptionalDouble mgPerMl() {
        return toMgPerMl(value, unit);
    }

    public static OptionalDouble toMgPerMl(double value, String unit) {
        if (unit == null) {
            return OptionalDouble.empty();
        }
        return switch (unit.trim().toLowerCase(Locale.ROOT).replace(" ", "")) {
            case "g/ml" -> OptionalDouble.of(value * 1000);
            case "mg/ml" -> OptionalDouble.of(value);
            case "mcg/ml", "ug/ml", "µg/ml" -> OptionalDouble.of(value / 1000);
            case "ng/ml" -> OptionalDouble.of(value / 1_000_000);
            default -> OptionalDouble.empty();
        };
    }

    @Override
    public String toString() {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() + " " + unit;
    }
}
