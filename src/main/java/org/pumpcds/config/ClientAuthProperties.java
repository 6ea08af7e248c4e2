package org.pumpcds.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication of CDS clients (CDS Hooks 2.0 "Trusting CDS Clients"; checklist J-1..J-11).
 *
 * @param required         require a signed JWT on every path except health probes, CORS preflights and the sandbox
 * @param trustedIssuers   the EHRs allowed to call
 * @param publicBaseUrl    this service's externally visible base URL, against which {@code aud} is checked; required
 *                         when {@code required} is set (a URL built from the Host header could be chosen by a caller)
 * @param clockSkew        tolerance on exp and iat
 * @param maxTokenLifetime longest {@code exp - iat} accepted (CDS clients issue 5-minute tokens); token ids are
 *                         remembered in the database until their token expires (replay detection across instances)
 */
@ConfigurationProperties("pumpcds.client-auth")
public record ClientAuthProperties(
        @DefaultValue("false") boolean required,
        @DefaultValue List<TrustedIssuer> trustedIssuers,
        String publicBaseUrl,
        @DefaultValue("60s") Duration clockSkew,
        @DefaultValue("5m") Duration maxTokenLifetime) {

    /**
     * @param issuer       the {@code iss} the EHR puts in its tokens
     * @param jwksUrl      where the service fetches the issuer's key set (may be a local mirror)
     * @param acceptedJkus {@code jku} values a token may name besides {@code jwksUrl}, such as the public address of a
     *                     key set the service reads from a mirror; a token's jku is never fetched
     */
    public record TrustedIssuer(String issuer, String jwksUrl, @DefaultValue List<String> acceptedJkus) {
    }
}
