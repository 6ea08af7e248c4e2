package org.pumpcds.hooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pumpcds.support.ApiTest;

/** CORS for browser clients such as the CDS Hooks Sandbox (checklist X-1). */
class CorsIT extends ApiTest {

    private static final String ORIGIN = "https://sandbox.cds-hooks.org";

    @ParameterizedTest
    @ValueSource(strings = {"/cds-services", "/cds-services/pump-order-sign", "/cds-services/pump-order-sign/feedback",
            "/fhir/Patient/pump-new-implant"})
    void preflightIsAnsweredWithoutAuthAndAllowsTheHeadersClientsSend(String path) {
        Response preflight = given().header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options(path);
        preflight.then().statusCode(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isIn("*", ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase()).contains("authorization", "content-type");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cds-services", "/fhir/metadata"})
    void actualResponsesCarryTheAllowOriginHeader(String path) {
        Response response = given().header("Origin", ORIGIN).get(path);
        response.then().statusCode(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isIn("*", ORIGIN);
    }
}
