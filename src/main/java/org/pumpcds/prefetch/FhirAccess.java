package org.pumpcds.prefetch;

/**
 * Where and how this call may query the EHR: {@code fhirServer} plus the bearer token from
 * {@code fhirAuthorization}. Both or nothing; {@link #toString()} never shows the token.
 *
 * @param refusal why a server and token that were sent may not be used (not allowed, token for another patient),
 *                reported in the 412; null when usable or when nothing was sent
 */
public record FhirAccess(String serverBase, String accessToken, String refusal) {

    private static final FhirAccess NONE = new FhirAccess(null, null, null);

    public FhirAccess(String serverBase, String accessToken) {
        this(serverBase, accessToken, null);
    }

    public static FhirAccess none() {
        return NONE;
    }

    public static FhirAccess refused(String why) {
        return new FhirAccess(null, null, why);
    }

    public boolean available() {
        return serverBase != null && !serverBase.isBlank() && accessToken != null && !accessToken.isBlank();
    }

    @Override
    public String toString() {
        return available() ? "FhirAccess[server given, token given]" : "FhirAccess[none]";
    }
}
