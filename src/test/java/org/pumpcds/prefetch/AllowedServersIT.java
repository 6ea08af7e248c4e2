package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.serviceRequest;

import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/** With pumpcds.fhir-query.allowed-servers set, the service queries no other server, whatever a request names. */
@TestPropertySource(properties = "pumpcds.fhir-query.allowed-servers=https://ehr.allowed.example/fhir")
class AllowedServersIT extends ApiTest {

    @Test
    void aServerOffTheListIsNotQueried() {
        ObjectNode request = orderSign("pump-new-implant", serviceRequest("sr1", CPT, "62362"));
        request.remove("prefetch");
        request.put("fhirServer", sandboxUrl());
        request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
        Response refused = post("/cds-services/pump-order-sign", request);
        refused.then().statusCode(412);
        assertThat(refused.asString()).contains("not configured to query");
    }
}
