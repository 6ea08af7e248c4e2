package org.pumpcds.coverage;

import java.math.BigDecimal;
import java.time.Duration;
import java.math.RoundingMode;
import java.util.Date;
import java.util.Locale;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/** How checks word what they read from the record (numbers, dates, codes, quantities, reactions). */
final class Words {

    private Words() {
    }

    static String display(Coding coding) {
        return ((coding.hasCode() ? coding.getCode() : "") + " " + (coding.hasDisplay() ? coding.getDisplay() : "")).trim();
    }

    static String quantity(Observation o) {
        if (!o.hasValueQuantity()) {
            return o.hasValue() ? o.getValue().primitiveValue() : "";
        }
        return number(o.getValueQuantity().getValue().doubleValue()) + (o.getValueQuantity().hasUnit() ? " " + o.getValueQuantity().getUnit() : "");
    }

    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "not stated";
        }
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** A setting's length as the card says it: whole days in days, anything else in hours. */
    static String duration(Duration length) {
        return length.toHours() % 24 == 0 ? length.toDays() + (length.toDays() == 1 ? " day" : " days")
                : length.toHours() + (length.toHours() == 1 ? " hour" : " hours");
    }

    static String day(Date date) {
        return date.toInstant().toString().substring(0, 10);
    }

    /** A time quantity in the wanted unit (day, week, month or year; UCUM or spelt out), or null when not a time. */
    static Double inUnit(Observation observation, String unit) {
        Double days = days(observation);
        if (days == null) {
            return null;
        }
        return switch (unit) {
            case "day" -> days;
            case "week" -> days / 7;
            case "month" -> days / DAYS_PER_MONTH;
            case "year" -> days / (DAYS_PER_MONTH * 12);
            default -> throw new IllegalArgumentException("not a time unit: " + unit);
        };
    }

    /** The mean Gregorian month, so 13 weeks reads as just under 3 months. */
    private static final double DAYS_PER_MONTH = 30.4375;

    private static Double days(Observation observation) {
        double value = observation.getValueQuantity().getValue().doubleValue();
        String unit = observation.getValueQuantity().hasCode() ? observation.getValueQuantity().getCode() : observation.getValueQuantity().getUnit();
        if (unit == null) {
            return null;
        }
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "mo", "month", "months" -> value * DAYS_PER_MONTH;
            case "wk", "week", "weeks" -> value * 7;
            case "d", "day", "days" -> value;
            case "a", "year", "years" -> value * DAYS_PER_MONTH * 12;
            default -> null;
        };
    }

    static String reaction(AllergyIntolerance entry, String kind) {
        String manifestation = entry.getReaction().stream().flatMap(r -> r.getManifestation().stream())
                .map(m -> m.hasText() ? m.getText() : display(m.getCodingFirstRep())).filter(t -> !t.isBlank()).findFirst().orElse(null);
        return kind + " to " + display(entry.getCode().getCodingFirstRep())
                + (entry.hasCriticality() ? ", criticality " + entry.getCriticality().toCode() : "")
                + (manifestation == null ? "" : ", reaction: " + manifestation);
    }
}
