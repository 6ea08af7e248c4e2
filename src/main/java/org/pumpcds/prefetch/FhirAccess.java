package org.pumpcds.prefetch;

/**
 * Where and how this call may query the EHR: {@code fhirServer} plus the bearer token from
 * {@code fhirAuthorization}. Both or nothing; {@link #toString()} never shows the token.
 */
public record FhirAccess(String serverBase, String accessToken) {

    private static final FhirAccess NONE = new FhirAccess(null, null);

    public static FhirAccess none() {
        return NONE;
    }

    public boolean available() {
        return serverBase != null && !serverBase.isBlank() && accessToken != null && !accessToken.isBlank();
    }

    @Override
    public String toString() {
        return available() ? "FhirAccess[server given, token given]" : "FhirAccess[none]";
    }
}
