package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.serviceRequest;

import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.StubHttpServer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * With pumpcds.fhir-query.allowed-servers set, the service queries no other server, whatever a request names: the
 * list allows {@code http://127.0.0.1:D} where D is the first digit of an attacker's port (the raw-prefix hole), and
 * one real base path on a second server.
 */
class AllowedServersIT extends ApiTest {

    private static final StubHttpServer ATTACKER = StubHttpServer.answering(200);
    private static final StubHttpServer ALLOWED = StubHttpServer.answering(200);
    private static final String PORT_PREFIX = String.valueOf(ATTACKER.port()).substring(0, 1);

    @DynamicPropertySource
    static void allowList(DynamicPropertyRegistry registry) {
        registry.add("pumpcds.fhir-query.allowed-servers[0]", () -> "http://127.0.0.1:" + PORT_PREFIX);
        registry.add("pumpcds.fhir-query.allowed-servers[1]", () -> ALLOWED.baseUrl());
    }

    @AfterAll
    static void stop() {
        ATTACKER.close();
        ALLOWED.close();
    }

    private static Response call(String fhirServer) {
        ObjectNode request = orderSign("pump-new-implant", serviceRequest("sr1", CPT, "62362"));
        request.remove("prefetch");
        request.put("fhirServer", fhirServer);
        request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
        return post("/cds-services/pump-order-sign", request);
    }

    @Test
    void aPortThatMerelyStartsWithTheAllowedPortIsNotQueried() {
        Response refused = call(ATTACKER.baseUrl());
        refused.then().statusCode(412);
        assertThat(refused.asString()).contains("not configured to query");
        assertThat(ATTACKER.requests()).isZero();
    }

    @Test
    void userinfoThatSpellsTheAllowedServerIsRefusedAsInvalid() {
        Response refused = call("http://127.0.0.1:" + PORT_PREFIX + "@127.0.0.1:" + ATTACKER.port() + "/fhir");
        refused.then().statusCode(400);
        assertThat(refused.asString()).contains("\"fhirServer\"");
        assertThat(ATTACKER.requests()).isZero();
    }

    @Test
    void encodedDotSegmentsCannotWalkOutOfTheAllowedBase() {
        // a servlet container drops ";parameters" from a segment before it resolves dots: "..;" is ".."
        for (String escape : new String[] {"/%2e%2e/admin", "/%2E./admin", "/..%2f..%2fadmin", "/..;/admin",
                "/%2e%2e;x/admin", "/..%3b/admin", "/.;/../admin"}) {
            Response refused = call(ALLOWED.baseUrl() + escape);
            refused.then().statusCode(400);
            assertThat(refused.asString()).contains("\"fhirServer\"");
        }
        assertThat(ALLOWED.requests()).isZero();
    }

    @Test
    void aSiblingPathOnTheAllowedServerIsNotQueriedButTheBaseIs() {
        String sibling = ALLOWED.baseUrl() + "-admin";
        call(sibling).then().statusCode(412);
        assertThat(ALLOWED.requests()).isZero();
        call(ALLOWED.baseUrl()).then().statusCode(412); // the stub answers no usable FHIR, but it was asked
        assertThat(ALLOWED.requestsWithToken()).isPositive();
    }

    @Test
    void aServerOffTheListIsNotQueried() {
        Response refused = call(sandboxUrl());
        refused.then().statusCode(412);
        assertThat(refused.asString()).contains("not configured to query");
    }
}
