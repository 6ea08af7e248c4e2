package org.pumpcds.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication of CDS clients (CDS Hooks 2.0 "Trusting CDS Clients"; checklist J-1..J-11).
 *
 * @param required       require a signed JWT on discovery, service and feedback calls (off for the sandbox and demos)
 * @param trustedIssuers the EHRs allowed to call: each issuer ({@code iss}) with the JWKS URL its keys are read from;
 *                       a token's {@code jku} is never followed unless it is that same URL
 * @param publicBaseUrl  this service's externally visible base URL (behind a proxy), against which {@code aud} is
 *                       checked; empty = the URL of the incoming request
 * @param clockSkew      tolerance on exp and iat
 */
@ConfigurationProperties("pumpcds.client-auth")
public record ClientAuthProperties(
        @DefaultValue("false") boolean required,
        @DefaultValue List<TrustedIssuer> trustedIssuers,
        String publicBaseUrl,
        @DefaultValue("60s") Duration clockSkew) {

    public record TrustedIssuer(String issuer, String jwksUrl) {
    }
}
