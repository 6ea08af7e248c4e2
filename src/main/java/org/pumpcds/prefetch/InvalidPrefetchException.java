package org.pumpcds.prefetch;

/** A prefetch value that is not a FHIR R4 resource: a client error (400), named by key. */
public class InvalidPrefetchException extends RuntimeException {

    private final String key;

    public InvalidPrefetchException(String key) {
        super("prefetch." + key + " is not a valid FHIR R4 resource, Bundle or null");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
