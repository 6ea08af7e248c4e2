package org.pumpcds.prefetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.serviceRequest;

import io.restassured.response.Response;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.StubHttpServer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The EHR's fhirServer as an attacker or a broken server would play it, over real HTTP on loopback. The test profile
 * sets read-timeout 1 s and call-deadline 1.5 s.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileFhirServerIT extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String TOKEN = "token-for-the-ehr-only-7a1c";

    private static ObjectNode fallbackCall(String fhirServer) {
        ObjectNode request = orderSign("pump-new-implant", serviceRequest("sr1", CPT, "62362"));
        request.remove("prefetch");
        request.put("fhirServer", fhirServer);
        request.putObject("fhirAuthorization").put("access_token", TOKEN).put("token_type", "Bearer")
                .put("scope", "patient/*.read").put("subject", "pump-cds-hooks");
        return request;
    }

    private static Set<String> reasons(Response response) {
        response.then().statusCode(412);
        Set<String> reasons = new TreeSet<>();
        for (JsonNode issue : json(response).path("issue")) {
            reasons.add(issue.path("diagnostics").asString().replaceFirst("^required data '[^']+'", "required data 'KEY'"));
        }
        return reasons;
    }

    /**
     * The sandbox's default (no allowed-servers) lets a caller name only a FHIR base at /fhir on this machine, spelt
     * localhost, 127.0.0.1 or [::1]: anything else, here 0.0.0.0 (which Linux connects to this machine) or another
     * path on loopback (an admin endpoint), is refused before any connection, so an unauthenticated caller cannot
     * reach the network behind the service.
     */
    @Test
    void withoutAnAllowListTheSandboxQueriesOnlyLoopbackServers() {
        try (StubHttpServer local = StubHttpServer.answering(200)) {
            for (String elsewhere : List.of("http://0.0.0.0:" + local.port() + "/fhir", "http://127.0.0.1:" + local.port() + "/admin",
                    "http://localhost:" + local.port() + "/")) {
                assertThat(reasons(post(SIGN, fallbackCall(elsewhere)))).as(elsewhere)
                        .containsExactly("required data 'KEY' could not be obtained: not in prefetch, and there is a fhirServer"
                                + " this service is not configured to query (pumpcds.fhir-query.allowed-servers)");
            }
            assertThat(local.requests()).isZero();
            reasons(post(SIGN, fallbackCall(local.baseUrl()))); // 127.0.0.1: asked (the stub answers no usable FHIR)
            assertThat(local.requests()).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsNeverFollowedSoTheTokenNeverLeavesTheServer(int status) {
        try (StubHttpServer elsewhere = StubHttpServer.answering(200);
             StubHttpServer redirecting = StubHttpServer.redirecting(status, "http://localhost:" + elsewhere.port())) {
            reasons(post(SIGN, fallbackCall(redirecting.baseUrl())));
            assertThat(redirecting.requestsWithToken()).isPositive();
            assertThat(elsewhere.requests()).as("requests that reached the redirect target").isZero();
        }
    }

    @Test
    void aDrippingServerIsAbortedAtTheDeadlineAndStarvesNoOtherCaller() throws Exception {
        try (StubHttpServer dripping = StubHttpServer.dripping()) {
            List<CompletableFuture<Response>> attacks = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // 6 calls x 10 templates: more than the per-server bulkhead
                attacks.add(CompletableFuture.supplyAsync(() -> post(SIGN, fallbackCall(dripping.baseUrl()))));
            }
            for (CompletableFuture<Response> attack : attacks) {
                assertThat(attack.get().statusCode()).isEqualTo(412);
            }
            Response healthy = post(SIGN, fallbackCall(sandboxUrl()));
            assertThat(healthy.statusCode()).as(healthy.asString()).isEqualTo(200);
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (dripping.stillAnswering() > 0 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(dripping.stillAnswering()).as("dripping answers the service has not hung up on").isZero();
        }
    }

    @Test
    void aGzipBombIsRefusedAfterDecompressionPastTheCap(CapturedOutput output) {
        try (StubHttpServer bomb = StubHttpServer.gzipBomb(100 << 20)) {
            assertThat(reasons(post(SIGN, fallbackCall(bomb.baseUrl())))).hasSize(1);
            assertThat(output.getAll()).contains("larger than");
        }
    }

    @Test
    void aFiftyMegabyteBundleIsRefusedWhileItStreams(CapturedOutput output) {
        try (StubHttpServer huge = StubHttpServer.largeBundle(50 << 20)) {
            assertThat(reasons(post(SIGN, fallbackCall(huge.baseUrl())))).hasSize(1);
            assertThat(output.getAll()).contains("larger than");
        }
    }

    @Test
    void aClosedPortAnErrorAndASlowServerReadTheSameToTheCaller(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Set<String> closed = reasons(post(SIGN, fallbackCall("http://127.0.0.1:" + closedPort + "/fhir")));
        try (StubHttpServer failing = StubHttpServer.answering(500); StubHttpServer slow = StubHttpServer.slow(Duration.ofSeconds(5))) {
            assertThat(reasons(post(SIGN, fallbackCall(failing.baseUrl())))).isEqualTo(closed);
            assertThat(reasons(post(SIGN, fallbackCall(slow.baseUrl())))).isEqualTo(closed);
        }
        assertThat(closed).hasSize(1);
        assertThat(output.getAll()).contains("connection was refused", "HTTP 500").doesNotContain(TOKEN);
    }
}
