package org.pumpcds.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.Requests;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Client authentication on (checklist J-1..J-11): an EHR signs ES384 JWTs with a key published at a real JWKS URL
 * on loopback; the service accepts exactly the valid ones and answers 401 (no reason) to every other.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientAuthenticationIT extends ApiTest {

    private static final String ISSUER = "https://ehr.example.test";
    private static final ECKey KEY;
    private static final ECKey OTHER_KEY;
    private static final HttpServer JWKS;

    static {
        try {
            KEY = new ECKeyGenerator(Curve.P_384).keyID("ehr-key-1").generate();
            OTHER_KEY = new ECKeyGenerator(Curve.P_384).keyID("ehr-key-1").generate();
            JWKS = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            JWKS.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            JWKS.start();
        } catch (JOSEException | IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void clientAuth(DynamicPropertyRegistry registry) {
        registry.add("pumpcds.client-auth.required", () -> "true");
        registry.add("pumpcds.client-auth.trusted-issuers[0].issuer", () -> ISSUER);
        registry.add("pumpcds.client-auth.trusted-issuers[0].jwks-url", ClientAuthenticationIT::jwksUrl);
    }

    @AfterAll
    static void stop() {
        JWKS.stop(0);
    }

    private static String jwksUrl() {
        return "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json";
    }

    private String endpoint(String path) {
        return "http://localhost:" + port + path;
    }

    private String token(String path, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        return token(path, change, KEY, JWSAlgorithm.ES384);
    }

    private String token(String path, Consumer<JWTClaimsSet.Builder> change, ECKey key, JWSAlgorithm alg) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(endpoint(path))
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000))
                .jwtID(UUID.randomUUID().toString());
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static Response call(String path, String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Requests.orderSign("p1", Requests.serviceRequest("sr1", Requests.CPT, "62362")).toString()).post(path);
    }

    private static void assertRefused(Response response) {
        response.then().statusCode(401).header("WWW-Authenticate", "Bearer");
        assertThat(response.asString()).contains("authentication required").doesNotContain("Exception");
    }

    @Test
    void aValidTokenIsAcceptedOnDiscoveryServiceAndFeedback() throws JOSEException {
        given().header("Authorization", "Bearer " + token("/cds-services", c -> { })).get("/cds-services").then().statusCode(200);
        call("/cds-services/pump-order-sign", token("/cds-services/pump-order-sign", c -> { })).then().statusCode(200);
        given().header("Authorization", "Bearer " + token("/cds-services/pump-order-sign/feedback", c -> { }))
                .contentType("application/json").body("{\"feedback\":[{\"card\":\"c\",\"outcome\":\"overridden\","
                        + "\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}]}")
                .post("/cds-services/pump-order-sign/feedback").then().statusCode(200);
    }

    @Test
    void everyInvalidTokenIs401WithoutAReason() throws JOSEException {
        String path = "/cds-services/pump-order-sign";
        assertRefused(given().contentType("application/json").body("{}").post(path));
        assertRefused(call(path, "not.a.jwt"));
        assertRefused(call(path, token("/cds-services/pump-order-select", c -> { })));
        assertRefused(call(path, token(path, c -> c.expirationTime(new Date(System.currentTimeMillis() - 600_000)))));
        assertRefused(call(path, token(path, c -> c.issuer("https://attacker.example.test"))));
        assertRefused(call(path, token(path, c -> c.jwtID(null))));
        assertRefused(call(path, token(path, c -> { }, OTHER_KEY, JWSAlgorithm.ES384)));
        assertRefused(call(path, new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).audience(endpoint(path))
                .expirationTime(new Date(System.currentTimeMillis() + 300_000)).jwtID("x").build()).serialize()));
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("ehr-key-1").build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience(endpoint(path)).issueTime(new Date())
                        .expirationTime(new Date(System.currentTimeMillis() + 300_000)).jwtID("h").build());
        hmac.sign(new MACSigner("a-shared-secret-that-is-long-enough-for-hs256!!".getBytes(StandardCharsets.UTF_8)));
        assertRefused(call(path, hmac.serialize()));
    }

    @Test
    void aReplayedTokenIsRefused(CapturedOutput output) throws JOSEException {
        String path = "/cds-services/pump-order-sign";
        String once = token(path, c -> { });
        call(path, once).then().statusCode(200);
        assertRefused(call(path, once));
        assertThat(output.getAll()).contains("jti replayed").doesNotContain(once);
    }

    @Test
    void corsPreflightNeedsNoToken() {
        given().header("Origin", "https://sandbox.cds-hooks.org").header("Access-Control-Request-Method", "POST")
                .options("/cds-services/pump-order-sign").then().statusCode(200);
    }
}
