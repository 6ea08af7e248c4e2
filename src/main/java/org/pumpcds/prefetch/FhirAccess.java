package org.pumpcds.prefetch;

import org.pumpcds.net.HttpUrl;

/**
 * Where and how this call may query the EHR: {@code fhirServer} plus the bearer token from
 * {@code fhirAuthorization}. Both or nothing; {@link #toString()} never shows the token.
 *
 * @param server  the parsed fhirServer, or null
 * @param refusal why a server and token that were sent may not be used (not allowed, token for another patient),
 *                reported in the 412; null when usable or when nothing was sent
 */
public record FhirAccess(String serverBase, HttpUrl server, String accessToken, String refusal) {

    private static final FhirAccess NONE = new FhirAccess(null, null, null, null);

    public static FhirAccess of(String serverBase, String accessToken) {
        return new FhirAccess(serverBase, HttpUrl.parse(serverBase).orElseThrow(
                () -> new IllegalArgumentException("fhirServer is not an http(s) URL")), accessToken, null);
    }

    /**
     * The EHR access one call may use, whatever the host: none without a token; refused when the server is not on the
     * allowed list or the token was granted for another patient (fhirAuthorization.patient), so no query leaves its
     * scope.
     *
     * @param accessToken    fhirAuthorization.access_token, or null when the call carries no fhirAuthorization
     * @param grantedPatient fhirAuthorization.patient, or null
     */
    public static FhirAccess forCall(String fhirServer, String accessToken, String grantedPatient, String contextPatient,
            AllowedServers allowedServers) {
        if (accessToken == null) {
            return none();
        }
        FhirAccess access = of(fhirServer, accessToken);
        if (!allowedServers.permits(access.server())) {
            return refused("a fhirServer this service is not configured to query (pumpcds.fhir-query.allowed-servers)");
        }
        if (grantedPatient != null && !grantedPatient.isBlank() && !grantedPatient.replaceFirst("^Patient/", "").equals(contextPatient)) {
            return refused("an access token granted for another patient than context.patientId");
        }
        return access;
    }

    public static FhirAccess none() {
        return NONE;
    }

    public static FhirAccess refused(String why) {
        return new FhirAccess(null, null, null, why);
    }

    public boolean available() {
        return server != null && accessToken != null && !accessToken.isBlank();
    }

    @Override
    public String toString() {
        return available() ? "FhirAccess[server given, token given]" : "FhirAccess[none]";
    }
}
