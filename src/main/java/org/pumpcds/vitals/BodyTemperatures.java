package org.pumpcds.vitals;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.pumpcds.prefetch.PatientRecord;
import org.pumpcds.fhirjson.CodedJson;
import org.pumpcds.terminology.CodeSystems;

/** Body temperatures (LOINC 8310-5) in the record, for the pharmacy's fever element and the payers' infection signs. */
public final class BodyTemperatures {

    /** The highest temperature in the window, with the Observation that recorded it. */
    public record Reading(double celsius, String reference) {
    }

    private BodyTemperatures() {
    }

    /** Highest body temperature recorded in the {@code lookback} before {@code reference} (none after it). */
    public static Optional<Reading> highest(PatientRecord record, Instant reference, Duration lookback) {
        Reading hottest = null;
        for (Observation observation : record.all(Observation.class, CodedJson.mayHaveCoding("code", BodyTemperatures::isTemperature))) {
            Double celsius = celsius(observation);
            Date when = observation.hasEffectiveDateTimeType() ? observation.getEffectiveDateTimeType().getValue() : null;
            if (celsius == null || when == null || when.toInstant().isAfter(reference)
                    || when.toInstant().isBefore(reference.minus(lookback))
                    || observation.getStatus() == Observation.ObservationStatus.ENTEREDINERROR) {
                continue;
            }
            if (hottest == null || celsius > hottest.celsius()) {
                hottest = new Reading(celsius, "Observation/" + observation.getIdElement().getIdPart());
            }
        }
        return Optional.ofNullable(hottest);
    }

    private static boolean isTemperature(String system, String code) {
        return CodeSystems.LOINC.equals(CodeSystems.canonical(system)) && "8310-5".equals(code);
    }

    private static Double celsius(Observation observation) {
        // LOINC 8310-5 is fixed by FHIR R4's vital-signs body temperature profile (hl7.org/fhir/R4/bodytemp.html): a
        // protocol constant like a resource type, not clinical knowledge an analyst tunes
        boolean isTemperature = observation.getCode().getCoding().stream().anyMatch(c -> isTemperature(c.getSystem(), c.getCode()));
        if (!isTemperature || !observation.hasValueQuantity() || !observation.getValueQuantity().hasValue()) {
            return null;
        }
        double value = observation.getValueQuantity().getValue().doubleValue();
        String code = observation.getValueQuantity().hasCode() ? observation.getValueQuantity().getCode() : observation.getValueQuantity().getUnit();
        String unit = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        Double celsius = switch (unit) {
            case "[degf]", "degf", "°f" -> (value - 32) * 5 / 9;
            case "cel", "°c", "c" -> value;
            default -> null;
        };
        return celsius == null || !Double.isFinite(celsius) ? null : celsius;
    }
}
