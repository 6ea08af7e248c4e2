package org.pumpcds.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pumpcds.support.TrustedEhr.sign;
import static org.pumpcds.support.TrustedEhr.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pumpcds.config.ClientAuthProperties;
import org.pumpcds.support.AuthenticatedApiTest;
import org.pumpcds.support.Requests;
import org.pumpcds.support.TrustedEhr;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Client authentication on (checklist J-1..J-11): an EHR signs ES384 JWTs with a key published at a real JWKS URL
 * on loopback; the service accepts exactly the valid ones and answers 401 (no reason) to every other.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientAuthenticationIT extends AuthenticatedApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";

    private static Response call(String path, String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Requests.orderSign("p1", Requests.serviceRequest("sr1", Requests.CPT, "62362")).toString()).post(path);
    }

    private static void assertRefused(Response response) {
        response.then().statusCode(401).header("WWW-Authenticate", "Bearer").contentType("application/json");
        assertThat(response.asString()).contains("\"OperationOutcome\"", "authentication required").doesNotContain("Exception");
    }

    @Test
    void aValidTokenIsAcceptedOnDiscoveryServiceAndFeedback() {
        given().header("Authorization", "Bearer " + token("/cds-services", c -> { })).get("/cds-services").then().statusCode(200);
        call(SIGN, token(SIGN, c -> { })).then().statusCode(200);
        given().header("Authorization", "Bearer " + token(SIGN + "/feedback", c -> { }))
                .contentType("application/json").body("{\"feedback\":[{\"card\":\"c\",\"outcome\":\"overridden\","
                        + "\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}]}")
                .post(SIGN + "/feedback").then().statusCode(200);
    }

    @Test
    void everyInvalidTokenIs401WithoutAReason() throws JOSEException {
        assertRefused(given().contentType("application/json").body("{}").post(SIGN));
        assertRefused(call(SIGN, "not.a.jwt"));
        assertRefused(call(SIGN, token("/cds-services/pump-order-select", c -> { })));
        assertRefused(call(SIGN, token(SIGN, c -> c.expirationTime(new Date(System.currentTimeMillis() - 600_000)))));
        assertRefused(call(SIGN, token(SIGN, c -> c.issuer("https://attacker.example.test"))));
        assertRefused(call(SIGN, token(SIGN, c -> c.jwtID(null))));
        ECKey impostor = new ECKeyGenerator(Curve.P_384).keyID(TrustedEhr.KEY.getKeyID()).generate();
        assertRefused(call(SIGN, sign(impostor, JWSAlgorithm.ES384, TrustedEhr.claims(SIGN, c -> { }), h -> { })));
        assertRefused(call(SIGN, new PlainJWT(TrustedEhr.claims(SIGN, c -> { })).serialize()));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("ehr-key-1").build(),
                TrustedEhr.claims(SIGN, c -> { }));
        hmac.sign(new MACSigner("a-shared-secret-that-is-long-enough-for-hs256!!".getBytes(StandardCharsets.UTF_8)));
        assertRefused(call(SIGN, hmac.serialize()));
    }

    @Test
    void aTokenWithoutIssIs401NeverA500(CapturedOutput output) {
        assertRefused(call(SIGN, token(SIGN, c -> c.issuer(null))));
        assertThat(output.getAll()).contains("no iss").doesNotContain("NullPointerException");
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() {
        long now = System.currentTimeMillis();
        assertRefused(call(SIGN, token(SIGN, c -> c.expirationTime(new Date(now + Duration.ofDays(3650).toMillis())))));
        assertRefused(call(SIGN, token(SIGN, c -> c.expirationTime(new Date(now + Duration.ofMinutes(6).toMillis())))));
        call(SIGN, token(SIGN, c -> c.expirationTime(new Date(now + Duration.ofMinutes(5).toMillis())))).then().statusCode(200);
    }

    @Test
    void aBlankJtiIsRefused() {
        assertRefused(call(SIGN, token(SIGN, c -> c.jwtID(""))));
        assertRefused(call(SIGN, token(SIGN, c -> c.jwtID("   "))));
    }

    @Test
    void audMustBeThisServiceUnderItsPublicBaseUrlWhateverTheHostHeaderSays() {
        String otherVendor = "https://other-vendor.example.test" + SIGN;
        assertRefused(given().header("Host", "other-vendor.example.test").header("X-Forwarded-Host", "other-vendor.example.test")
                .header("Authorization", "Bearer " + token(SIGN, c -> c.audience(otherVendor))).contentType("application/json")
                .body(Requests.orderSign("p1", Requests.serviceRequest("sr1", Requests.CPT, "62362")).toString()).post(SIGN));
        // the same endpoint spelt with another case of host and a default port is the same audience
        call(SIGN, token(SIGN, c -> c.audience("HTTPS://CDS.example.test:443" + SIGN))).then().statusCode(200);
    }

    /** A path the service cannot take apart (";" from %3B) is never matched against the bare public base URL. */
    @Test
    void aPathWhoseAudienceCannotBeBuiltIsRefused() {
        assertRefused(call(SIGN + "%3Bx", token(SIGN, c -> c.audience("https://cds.example.test"))));
        assertRefused(call(SIGN + "%3Bx", token(SIGN, c -> c.audience("https://cds.example.test/"))));
    }

    @Test
    void aJkuIsAcceptedOnlyWhenTheIssuersSettingsNameIt() {
        call(SIGN, token(SIGN, c -> { }, h -> h.jwkURL(TrustedEhr.publishedJku()))).then().statusCode(200);
        call(SIGN, token(SIGN, c -> { }, h -> h.jwkURL(URI.create(TrustedEhr.jwksUrl())))).then().statusCode(200);
        assertRefused(call(SIGN, token(SIGN, c -> { }, h -> h.jwkURL(URI.create("https://attacker.example.test/jwks.json")))));
        assertRefused(call(SIGN, token(SIGN, c -> { },
                h -> h.jwkURL(URI.create("https://ehr.example.test@attacker.example.test/.well-known/jwks.json")))));
    }

    @Test
    void aReplayedTokenIsRefused(CapturedOutput output) {
        String once = token(SIGN, c -> { });
        call(SIGN, once).then().statusCode(200);
        assertRefused(call(SIGN, once));
        assertThat(output.getAll()).contains("jti replayed").doesNotContain(once);
    }

    @Test
    void corsPreflightAndHealthProbesNeedNoToken() {
        given().header("Origin", "https://sandbox.cds-hooks.org").header("Access-Control-Request-Method", "POST")
                .options(SIGN).then().statusCode(200);
        given().get("/actuator/health").then().statusCode(200);
        given().get("/actuator/health/liveness").then().statusCode(200);
    }

    @Test
    void everythingOffTheAllowListNeedsAToken() {
        for (String path : List.of("/cds-services", "/error", "/actuator", "/actuator/info", "/no-such-path", "/")) {
            assertRefused(given().get(path));
        }
    }

    @Test
    void startingWithoutAPublicBaseUrlIsRefused() {
        ClientAuthProperties noBase = new ClientAuthProperties(true,
                List.of(new ClientAuthProperties.TrustedIssuer(TrustedEhr.ISSUER, TrustedEhr.jwksUrl(), List.of())),
                null, Duration.ofSeconds(60), Duration.ofMinutes(5));
        assertThatThrownBy(() -> new ClientAuthenticationFilter(noBase, "true", null))
                .hasMessageContaining("pumpcds.client-auth.public-base-url");
    }
}
