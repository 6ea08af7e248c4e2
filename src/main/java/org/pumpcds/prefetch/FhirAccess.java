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
