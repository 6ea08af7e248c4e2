package org.pumpcds.hooks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.pumpcds.config.ClientAuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When {@code pumpcds.client-auth.required} is set, every call under /cds-services carries
 * {@code Authorization: Bearer <JWT>} signed by a trusted EHR (checklist J-1..J-11, in the best-practice order):
 * issuer on the allowlist; asymmetric algorithm only (never none or HMAC); key by kid from that issuer's configured
 * JWKS (a token's jku is never followed elsewhere); aud = this endpoint's URL; exp and iat within the clock skew;
 * jti never seen before (kept until the token expires). Any failure is 401 with no reason; the reason category is
 * logged, the token never. CORS preflights pass (the CORS filter answers them first).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ClientAuthenticationFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ClientAuthenticationFilter.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private final ClientAuthProperties settings;
    private final Map<String, JWKSource<SecurityContext>> keysByIssuer = new ConcurrentHashMap<>();
    private final Map<String, Instant> seenJti = new ConcurrentHashMap<>();

    ClientAuthenticationFilter(ClientAuthProperties settings) {
        this.settings = settings;
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(2000, 2000, 512 * 1024);
        for (ClientAuthProperties.TrustedIssuer issuer : settings.trustedIssuers()) {
            try {
                keysByIssuer.put(issuer.issuer(), JWKSourceBuilder.create(URI.create(issuer.jwksUrl()).toURL(), retriever).build());
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("pumpcds.client-auth.trusted-issuers: bad jwks-url for " + issuer.issuer(), e);
            }
        }
        if (settings.required() && keysByIssuer.isEmpty()) {
            throw new IllegalStateException("pumpcds.client-auth.required is set but no trusted issuer is configured");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !settings.required() || !request.getRequestURI().startsWith("/cds-services")
                || "OPTIONS".equalsIgnoreCase(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = verify(request);
        if (problem != null) {
            log.info("client authentication failed: {}", problem);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer");
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                    + "\"code\":\"security\",\"diagnostics\":\"authentication required\"}]}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Null when the request carries a valid token; otherwise the failure category (never the token). */
    private String verify(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "no bearer token";
        }
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(header.substring(7).trim());
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return "not a signed JWT";
        }
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            return "algorithm not allowed";
        }
        if (jwt.getHeader().getKeyID() == null) {
            return "no kid";
        }
        JWKSource<SecurityContext> keys = keysByIssuer.get(unverified.getIssuer());
        if (keys == null) {
            return "issuer not trusted";
        }
        String configuredJwks = settings.trustedIssuers().stream().filter(i -> i.issuer().equals(unverified.getIssuer()))
                .map(ClientAuthProperties.TrustedIssuer::jwksUrl).findFirst().orElseThrow();
        if (jwt.getHeader().getJWKURL() != null && !jwt.getHeader().getJWKURL().toString().equals(configuredJwks)) {
            return "jku is not the issuer's configured JWKS";
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience(request),
                new JWTClaimsSet.Builder().issuer(unverified.getIssuer()).build(), Set.of("exp", "iat", "jti"));
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        JWTClaimsSet verified;
        try {
            verified = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            return "signature, audience or time claims invalid";
        }
        Date issued = verified.getIssueTime();
        if (issued.toInstant().isAfter(Instant.now().plus(settings.clockSkew()))) {
            return "issued in the future";
        }
        purgeExpired();
        Instant expires = verified.getExpirationTime().toInstant().plus(settings.clockSkew());
        if (seenJti.putIfAbsent(verified.getIssuer() + " " + verified.getJWTID(), expires) != null) {
            return "jti replayed";
        }
        return null;
    }

    /** The endpoint URL the token must be addressed to (trailing slash ignored). */
    private String audience(HttpServletRequest request) {
        String base = settings.publicBaseUrl() == null || settings.publicBaseUrl().isBlank()
                ? request.getRequestURL().toString().substring(0, request.getRequestURL().length() - request.getRequestURI().length())
                : settings.publicBaseUrl().replaceAll("/+$", "");
        return (base + request.getRequestURI()).replaceAll("/+$", "");
    }

    private void purgeExpired() {
        Instant now = Instant.now();
        seenJti.entrySet().removeIf(e -> e.getValue().isBefore(now));
    }
}
