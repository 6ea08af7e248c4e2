package org.pumpcds.prefetch;

import java.util.List;

/** Required data could be had neither from prefetch nor from the FHIR server: the call answers 412. */
public class PrefetchUnavailableException extends RuntimeException {

    /** One key that could not be obtained, with why; the reason never quotes patient data or tokens. */
    public record Missing(String key, String reason) {
    }

    private final List<Missing> missing;

    public PrefetchUnavailableException(List<Missing> missing) {
        super("Required prefetch data unavailable for keys " + missing.stream().map(Missing::key).toList());
        this.missing = List.copyOf(missing);
    }

    public List<Missing> missing() {
        return missing;
    }
}
