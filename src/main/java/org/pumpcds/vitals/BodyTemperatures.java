package org.pumpcds.vitals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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

    /** A temperature in the record: how high, when, and the Observation that recorded it. */
    private record Recorded(double celsius, Instant when, String reference) {
    }

    /** The key of the record's temperatures, read once per call: the pharmacy's and the payers' rules both ask. */
    private static final Object ALL_RECORDED = new Object();

    /** Highest body temperature recorded in the {@code lookback} before {@code reference} (none after it). */
    public static Optional<Reading> highest(PatientRecord record, Instant reference, Duration lookback) {
        Reading hottest = null;
        Instant earliest = reference.minus(lookback);
        for (Recorded temperature : record.derived(ALL_RECORDED, () -> allRecorded(record))) {
            if (temperature.when().isAfter(reference) || temperature.when().isBefore(earliest)) {
                continue;
            }
            if (hottest == null || temperature.celsius() > hottest.celsius()) {
                hottest = new Reading(temperature.celsius(), temperature.reference());
            }
        }
        return Optional.ofNullable(hottest);
    }

    private static List<Recorded> allRecorded(PatientRecord record) {
        List<Recorded> recorded = new ArrayList<>();
        for (Observation observation : record.all(Observation.class, CodedJson.mayHaveCoding("code", BodyTemperatures::isTemperature))) {
            Double celsius = celsius(observation);
            Date when = observation.hasEffectiveDateTimeType() ? observation.getEffectiveDateTimeType().getValue() : null;
            if (celsius != null && when != null && observation.getStatus() != Observation.ObservationStatus.ENTEREDINERROR) {
                recorded.add(new Recorded(celsius, when.toInstant(), "Observation/" + observation.getIdElement().getIdPart()));
            }
        }
        return List.copyOf(recorded);
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
