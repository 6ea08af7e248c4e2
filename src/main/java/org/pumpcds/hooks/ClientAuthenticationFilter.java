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
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pumpcds.config.ClientAuthProperties;
import org.pumpcds.net.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.sql.DataSource;
import org.pumpcds.sandbox.SandboxConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * When {@code pumpcds.client-auth.required} is set, every request carries {@code Authorization: Bearer <JWT>} signed
 * by a trusted EHR, except an explicit allow-list decided on the normalised path: CORS preflights, health probes and,
 * when enabled, the sandbox FHIR server and the ordering preview's static pages. Checks, in the best-practice order (checklist J-1..J-11): issuer on the
 * allowlist; asymmetric algorithm only (never none or HMAC); a {@code jku}, if named, among the issuer's accepted
 * ones (it is never fetched); key by kid from the issuer's configured JWKS; aud = this endpoint under the configured
 * public base URL; exp and iat within the clock skew and a lifetime no longer than the maximum; a non-blank jti never
 * seen before. Any failure is 401 with no reason; the reason category is logged, the token never.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ClientAuthenticationFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ClientAuthenticationFilter.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    /** One trusted EHR: where its keys come from and which jku values its tokens may name. */
    private record Issuer(JWKSource<SecurityContext> keys, List<HttpUrl> acceptedJkus) {
    }

    /** The replay store could not say whether a token was used before: the token may be fine. */
    private static final class ReplayStoreDown extends Exception {
        ReplayStoreDown() {
            super("replay store (the database) unavailable", null, false, false);
        }
    }

    private final ClientAuthProperties settings;
    private final boolean sandboxOpen;
    private final HttpUrl publicBase;
    private final Map<String, Issuer> issuers = new HashMap<>();
    private final ReplayGuard replays;

    ClientAuthenticationFilter(ClientAuthProperties settings, @Value(SandboxConfiguration.SETTING) String sandboxSetting,
            DataSource database) {
        this.settings = settings;
        this.sandboxOpen = SandboxConfiguration.enabled(sandboxSetting);
        this.replays = new ReplayGuard(database);
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(2000, 2000, 512 * 1024);
        for (ClientAuthProperties.TrustedIssuer issuer : settings.trustedIssuers()) {
            List<HttpUrl> jkus = new ArrayList<>();
            jkus.add(url(issuer.jwksUrl(), "jwks-url of " + issuer.issuer()));
            issuer.acceptedJkus().forEach(jku -> jkus.add(url(jku, "accepted-jkus of " + issuer.issuer())));
            try {
                issuers.put(issuer.issuer(), new Issuer(
                        JWKSourceBuilder.create(URI.create(issuer.jwksUrl()).toURL(), retriever).build(), List.copyOf(jkus)));
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("pumpcds.client-auth.trusted-issuers: bad jwks-url for " + issuer.issuer(), e);
            }
        }
        if (settings.required() && issuers.isEmpty()) {
            throw new IllegalStateException("pumpcds.client-auth.required is set but no trusted issuer is configured");
        }
        if (settings.required() && (settings.publicBaseUrl() == null || settings.publicBaseUrl().isBlank())) {
            throw new IllegalStateException("pumpcds.client-auth.required is set but pumpcds.client-auth.public-base-url is not:"
                    + " the audience a token must name cannot be taken from the request's Host header");
        }
        this.publicBase = settings.publicBaseUrl() == null || settings.publicBaseUrl().isBlank() ? null
                : url(settings.publicBaseUrl(), "public-base-url");
    }

    private static HttpUrl url(String value, String setting) {
        return HttpUrl.parse(value).orElseThrow(() -> new IllegalStateException(
                "pumpcds.client-auth." + setting + " is not an absolute http(s) URL without userinfo: " + value));
    }

    /** The allow-list: everything else needs a token. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!settings.required() || CorsUtils.isPreFlightRequest(request)) {
            return true;
        }
        String path = RequestPaths.normalized(request);
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || sandboxOpen && (path.equals("/fhir") || path.startsWith("/fhir/")
                        || path.equals("/preview") || path.startsWith("/preview/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem;
        try {
            problem = verify(request);
        } catch (ReplayStoreDown e) {
            // the client should send the call again, not treat it as refused
            log.warn("client authentication: {}", e.getMessage());
            response.setHeader("Retry-After", ErrorBody.RETRY_AFTER_SECONDS);
            ErrorBody.sendAgain("the service cannot check tokens right now; send the request again")
                    .write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        if (problem != null) {
            log.info("client authentication failed: {}", problem);
            response.setHeader("WWW-Authenticate", "Bearer");
            ErrorBody.of("security", "authentication required").write(response, HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(request, response);
    }

    /** Null when the request carries a valid token; otherwise the failure category (never the token). */
    private String verify(HttpServletRequest request) throws ReplayStoreDown {
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
        if (unverified.getIssuer() == null) {
            return "no iss";
        }
        Issuer issuer = issuers.get(unverified.getIssuer());
        if (issuer == null) {
            return "issuer not trusted";
        }
        URI jku = jwt.getHeader().getJWKURL();
        if (jku != null) {
            Optional<HttpUrl> named = HttpUrl.parse(jku.toString());
            if (named.isEmpty() || issuer.acceptedJkus().stream().noneMatch(named.get()::sameResource)) {
                return "jku is not one the issuer's settings accept";
            }
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, issuer.keys()));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().issuer(unverified.getIssuer()).build(), Set.of("aud", "exp", "iat", "jti"));
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        JWTClaimsSet verified;
        try {
            verified = processor.process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            return "signature or time claims invalid";
        }
        Optional<HttpUrl> called = HttpUrl.parse("http://x" + RequestPaths.normalized(request));
        if (called.isEmpty()) {
            return "aud cannot be matched: the path is not one URL path"; // never the bare base URL in its place
        }
        HttpUrl endpoint = new HttpUrl(publicBase.scheme(), publicBase.host(), publicBase.port(),
                concat(publicBase.segments(), called.get().segments()));
        if (verified.getAudience().stream().map(HttpUrl::parse).flatMap(Optional::stream).noneMatch(endpoint::sameResource)) {
            return "aud is not this endpoint";
        }
        Instant issued = verified.getIssueTime().toInstant();
        Instant expires = verified.getExpirationTime().toInstant();
        Instant now = Instant.now();
        if (issued.isAfter(now.plus(settings.clockSkew()))) {
            return "issued in the future";
        }
        if (Duration.between(issued, expires).compareTo(settings.maxTokenLifetime()) > 0) {
            return "token lifetime longer than pumpcds.client-auth.max-token-lifetime";
        }
        if (verified.getJWTID().isBlank()) {
            return "blank jti";
        }
        return switch (replays.firstUse(verified.getIssuer() + " " + verified.getJWTID(), expires.plus(settings.clockSkew()), now)) {
            case FIRST_USE -> null;
            case REPLAYED -> "jti replayed";
            case UNAVAILABLE -> throw new ReplayStoreDown();
        };
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
