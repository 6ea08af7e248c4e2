package org.pumpcds.api;

/** The EHR's access token for this call only. Transient: {@link #toString()} hides it and nothing stores it. */
public record FhirAuthorization(String accessToken, String tokenType, Long expiresIn, String scope, String subject,
        String patient) {

    @Override
    public String toString() {
        return "FhirAuthorization[accessToken=<redacted>, tokenType=" + tokenType + ", expiresIn=" + expiresIn
                + ", subject=" + subject + "]";
    }
}
