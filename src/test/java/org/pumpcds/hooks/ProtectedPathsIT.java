package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.AuthenticatedApiTest;
import org.pumpcds.support.RawHttp;
import org.pumpcds.support.Requests;

/**
 * Client authentication on, attacked with every spelling of a protected path that a raw socket can send: none may
 * reach discovery, a service or feedback without a token. Each refusal is a JSON OperationOutcome.
 */
class ProtectedPathsIT extends AuthenticatedApiTest {

    private static final List<String> ALIASES = List.of(
            "/%63ds-services", "/c%64s-services", "/cds%2Dservices", "/cds%2dservices", "/%63%64%73-services",
            "/cds-services/%70ump-order-sign", "/cds-services/pump-order-sign%2Ffeedback",
            "/fhir/../cds-services", "/fhir/%2e%2e/cds-services", "/fhir/%2E%2E/cds-services", "/./cds-services",
            "/cds-services;jsessionid=x", "/cds-services/pump-order-sign;x=1", "//cds-services",
            "/cds-services%00", "/cds-services%5Cpump-order-sign", "/actuator/health/../../cds-services",
            "/actuator/health/%2e%2e/%2e%2e/cds-services", "/fhir/..;/cds-services",
            "/preview/../cds-services", "/preview/%2e%2e/cds-services", "/preview/..;/cds-services",
            "/preview/%2e%2e%2fcds-services");

    private static void assertRefusedAsJson(RawHttp.Answer answer, String target) {
        assertThat(answer.status()).as(target).isIn(400, 401, 404);
        assertThat(answer.header("Content-Type")).as(target).startsWith("application/json");
        assertThat(answer.body()).as(target).contains("\"resourceType\":\"OperationOutcome\"")
                .doesNotContain("\"services\"", "\"cards\"", "\"received\"", "<html", "Exception");
    }

    @Test
    void noSpellingOfAProtectedPathGetsInWithoutAToken() {
        String call = Requests.orderSign("p1", Requests.serviceRequest("sr1", Requests.CPT, "62362")).toString();
        String feedback = "{\"feedback\":[{\"card\":\"c\",\"outcome\":\"overridden\",\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\"}]}";
        for (String alias : ALIASES) {
            assertRefusedAsJson(RawHttp.get(port, alias), "GET " + alias);
            assertRefusedAsJson(RawHttp.send(port, "POST", alias + "/pump-order-sign", "Content-Type: application/json\r\n", call),
                    "POST " + alias + "/pump-order-sign");
            assertRefusedAsJson(RawHttp.send(port, "POST", alias + "/pump-order-sign/feedback",
                    "Content-Type: application/json\r\n", feedback), "POST " + alias + "/pump-order-sign/feedback");
        }
    }

    @Test
    void theCanonicalPathsAreProtectedToo() {
        assertThat(RawHttp.get(port, "/cds-services").status()).isEqualTo(401);
        assertThat(RawHttp.get(port, "/cds-services/").status()).isEqualTo(401);
        assertThat(RawHttp.get(port, "/CDS-SERVICES").status()).isEqualTo(401);
    }

    @Test
    void theAllowListIsOpen() {
        assertThat(RawHttp.get(port, "/actuator/health").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/fhir/metadata").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/preview/").status()).isEqualTo(200);
        assertThat(RawHttp.get(port, "/preview/preview.js").status()).isEqualTo(200);
    }
}
