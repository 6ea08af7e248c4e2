package org.pumpcds.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An EHR that signs ES384 client JWTs with a key it publishes at a real JWKS URL on loopback, and the settings that
 * make the service trust it. The service's public base URL is {@link #PUBLIC_BASE_URL}, as behind a proxy.
 */
public final class TrustedEhr {

    public static final String ISSUER = "https://ehr.example.test";
    public static final String PUBLIC_BASE_URL = "https://cds.example.test";
    public static final ECKey KEY;
    private static final HttpServer JWKS;

    static {
        try {
            KEY = new ECKeyGenerator(Curve.P_384).keyID("ehr-key-1").generate();
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

    private TrustedEhr() {
    }

    /** Client authentication on, trusting this EHR; its tokens may name {@link #PUBLISHED_JKU} as their jku. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("pumpcds.client-auth.required", () -> "true");
        registry.add("pumpcds.client-auth.public-base-url", () -> PUBLIC_BASE_URL);
        registry.add("pumpcds.client-auth.trusted-issuers[0].issuer", () -> ISSUER);
        registry.add("pumpcds.client-auth.trusted-issuers[0].jwks-url", TrustedEhr::jwksUrl);
        registry.add("pumpcds.client-auth.trusted-issuers[0].accepted-jkus[0]", () -> PUBLISHED_JKU);
    }

    /** The public address of the EHR's key set, which the service reads from a local mirror instead. */
    public static final String PUBLISHED_JKU = "https://ehr.example.test/.well-known/jwks.json";

    public static String jwksUrl() {
        return "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json";
    }

    /** A valid token for the endpoint at {@code path}, after {@code change} has altered its claims. */
    public static String token(String path, Consumer<JWTClaimsSet.Builder> change) {
        return token(path, change, h -> { });
    }

    public static String token(String path, Consumer<JWTClaimsSet.Builder> change, Consumer<JWSHeader.Builder> header) {
        return sign(KEY, JWSAlgorithm.ES384, claims(path, change), header);
    }

    public static JWTClaimsSet claims(String path, Consumer<JWTClaimsSet.Builder> change) {
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(PUBLIC_BASE_URL + path)
                .issueTime(new Date(now)).expirationTime(new Date(now + 300_000))
                .jwtID(UUID.randomUUID().toString());
        change.accept(claims);
        return claims.build();
    }

    public static String sign(ECKey key, JWSAlgorithm alg, JWTClaimsSet claims, Consumer<JWSHeader.Builder> header) {
        JWSHeader.Builder builder = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
        header.accept(builder);
        SignedJWT jwt = new SignedJWT(builder.build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static URI publishedJku() {
        return URI.create(PUBLISHED_JKU);
    }
}
