package org.pumpcds.prefetch;

/** A fallback FHIR query that gave no usable answer; the reason names the failure, never data or token. */
class FetchFailedException extends RuntimeException {

    FetchFailedException(String reason) {
        super(reason, null, false, false);
    }
}
