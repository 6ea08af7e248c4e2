package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.serviceRequest;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.RawHttp;
import org.pumpcds.support.StubHttpServer;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The production profile, as the Docker image sets it (docker/Dockerfile): sandbox off, no CORS origin. With no
 * allowed-servers list no fallback query goes anywhere; neither the sandbox nor the ordering preview is served.
 */
@TestPropertySource(properties = {"pumpcds.sandbox.enabled=false", "pumpcds.cors.allowed-origins="})
class ProductionProfileIT extends ApiTest {

    @Test
    void anEmptyAllowListRefusesEveryFallbackQuery() {
        try (StubHttpServer ehr = StubHttpServer.answering(200)) {
            ObjectNode request = orderSign("pump-new-implant", serviceRequest("sr1", CPT, "62362"));
            request.remove("prefetch");
            request.put("fhirServer", ehr.baseUrl());
            request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
            Response refused = post("/cds-services/pump-order-sign", request);
            refused.then().statusCode(412);
            assertThat(refused.asString()).contains("not configured to query");
            assertThat(ehr.requests()).isZero();
        }
    }

    @Test
    void theSandboxIsNotServed() {
        RawHttp.Answer answer = RawHttp.get(port, "/fhir/metadata");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("\"OperationOutcome\"");
    }

    @Test
    void theOrderingPreviewIsNotServed() {
        for (String path : new String[] {"/preview/", "/preview/index.html", "/preview/preview.js"}) {
            RawHttp.Answer answer = RawHttp.get(port, path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).contains("\"OperationOutcome\"");
        }
    }

    @Test
    void noBrowserOriginIsAllowedUntilOneIsConfigured() {
        Response crossOrigin = given().header("Origin", "https://ehr.example.org")
                .get("/cds-services");
        assertThat(crossOrigin.getHeader("Access-Control-Allow-Origin")).isNull();
        given().header("Origin", "https://ehr.example.org")
                .header("Access-Control-Request-Method", "POST").options("/cds-services/pump-order-sign")
                .then().statusCode(403);
    }

    @Test
    void aSandboxSettingOtherThanTrueOrFalseStopsTheStart() {
        // "1" would switch the sandbox's beans off yet, read as a boolean elsewhere, open its allow-lists
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (var context = new org.springframework.boot.builder.SpringApplicationBuilder(org.pumpcds.PumpCdsApplication.class)
                    .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:sandbox-setting;DB_CLOSE_DELAY=-1")
                    .run("--pumpcds.sandbox.enabled=1")) {
                // started: the assertion below fails
            }
        });
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains("pumpcds.sandbox.enabled must be true or false");
    }
}
