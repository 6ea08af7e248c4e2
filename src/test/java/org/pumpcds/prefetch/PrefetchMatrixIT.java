package org.pumpcds.prefetch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.pumpcds.support.Requests.CPT;
import static org.pumpcds.support.Requests.PREFETCH_KEYS;
import static org.pumpcds.support.Requests.orderSign;
import static org.pumpcds.support.Requests.resource;
import static org.pumpcds.support.Requests.searchset;
import static org.pumpcds.support.Requests.serviceRequest;

import io.restassured.response.Response;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pumpcds.sandbox.SandboxFhirServer;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.CdsResponseAssertions;
import org.pumpcds.support.RecordingInterceptor;
import org.pumpcds.support.StubHttpServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The prefetch decision matrix (checklist section 3) with the embedded HAPI FHIR server playing the EHR:
 * which queries it receives, with which Authorization header, and when the service answers 412 instead.
 */
@ExtendWith(OutputCaptureExtension.class)
class PrefetchMatrixIT extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String PATIENT = "pump-new-implant";
    private static final String TOKEN = "test-token-5d41402abc4b2a76";

    @Autowired
    ServletRegistrationBean<SandboxFhirServer> sandbox;

    private RecordingInterceptor ehr;

    @BeforeEach
    void listen() {
        ehr = new RecordingInterceptor();
        sandbox.getServlet().registerInterceptor(ehr);
    }

    @AfterEach
    void stopListening() {
        sandbox.getServlet().unregisterInterceptor(ehr);
    }

    private ObjectNode pumpOrder() {
        return orderSign(PATIENT, serviceRequest("sr1", CPT, "62362"));
    }

    private ObjectNode withAccess(ObjectNode request, String fhirServer) {
        request.put("fhirServer", fhirServer);
        ObjectNode auth = request.putObject("fhirAuthorization");
        auth.put("access_token", TOKEN);
        auth.put("token_type", "Bearer");
        auth.put("expires_in", 300);
        auth.put("scope", "patient/*.read");
        auth.put("subject", "pump-cds-hooks");
        return request;
    }

    private static ObjectNode prefetch(ObjectNode request) {
        return (ObjectNode) request.get("prefetch");
    }

    private List<String> queriedTypes() {
        List<String> types = new ArrayList<>();
        for (RecordingInterceptor.Received r : ehr.received()) {
            String path = r.url().substring(r.url().indexOf("/fhir/") + "/fhir/".length());
            types.add(path.split("[/?]")[0]);
        }
        return types;
    }

    private static JsonNode okCards(Response response) {
        response.then().statusCode(200);
        JsonNode body = json(response);
        CdsResponseAssertions.assertValidResponse(body);
        return body.get("cards");
    }

    private static List<String> missingKeys(Response response) {
        response.then().statusCode(412).contentType("application/json");
        JsonNode body = json(response);
        assertThat(body.path("resourceType").asString()).isEqualTo("OperationOutcome");
        List<String> keys = new ArrayList<>();
        body.get("issue").forEach(i -> i.path("expression").forEach(e -> keys.add(e.asString())));
        return keys;
    }

    @Test
    void everyKeyPresentMeansNoQueryEvenWithAServerAndToken() {
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        prefetch(request).set("conditions", searchset(resource("Condition", "c1")));
        assertThat(okCards(post(SIGN, request))).hasSize(1);
        assertThat(ehr.received()).isEmpty();
    }

    @Test
    void nullMeansNoDataWithoutQueryOr412() {
        ObjectNode request = pumpOrder(); // every key null, no fhirServer at all
        assertThat(okCards(post(SIGN, request))).hasSize(1);
        assertThat(ehr.received()).isEmpty();
    }

    @Test
    void absentKeysAreQueriedWithTheBearerTokenAndOnlyThose() {
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        prefetch(request).remove("conditions");
        prefetch(request).remove("devices");
        assertThat(okCards(post(SIGN, request))).hasSize(1);
        assertThat(queriedTypes()).containsExactlyInAnyOrder("Condition", "Device");
        assertThat(ehr.received()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN));
        assertThat(ehr.received()).anySatisfy(r -> assertThat(r.url()).contains("patient=" + PATIENT).contains("status=active"));
    }

    @Test
    void noPrefetchAtAllQueriesEveryTemplateConcurrently() {
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        request.remove("prefetch");
        assertThat(okCards(post(SIGN, request))).hasSize(1);
        List<String> queried = queriedTypes();
        assertThat(queried).contains("Patient", "Condition", "MedicationRequest", "MedicationStatement",
                "AllergyIntolerance", "Observation", "Procedure", "Device", "Coverage", "DocumentReference");
        // beyond the templates, only the payer named by the Coverage is read, to choose the payer policy
        assertThat(queried).hasSize(11).containsOnlyOnce("Organization");
        // each query is timed by its prefetch key (or "reference") and outcome
        String metrics = given().get("/actuator/prometheus").asString();
        assertThat(count(metrics, "pumpcds_fhir_queries_seconds_count{outcome=\"success\",query=\"conditions\"}")).isPositive();
        assertThat(count(metrics, "pumpcds_fhir_queries_seconds_count{outcome=\"success\",query=\"reference\"}")).isPositive();
    }

    /** The value of one Prometheus sample line, or -1 when there is none. */
    private static double count(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim())).findFirst().orElse(-1);
    }

    @Test
    void anOperationOutcomeInPrefetchIsQueriedAgain() {
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        ObjectNode failed = resource("OperationOutcome", "oo");
        failed.putArray("issue").addObject().put("severity", "error").put("code", "timeout");
        prefetch(request).set("conditions", failed);
        ObjectNode bundleWithError = searchset(failed.deepCopy());
        prefetch(request).set("procedures", bundleWithError);
        assertThat(okCards(post(SIGN, request))).hasSize(1);
        assertThat(queriedTypes()).containsExactlyInAnyOrder("Condition", "Procedure");
    }

    @Test
    void missingDataWithoutServerAccessIs412NamingEachKey() {
        ObjectNode request = pumpOrder();
        prefetch(request).remove("conditions");
        ObjectNode failed = resource("OperationOutcome", "oo");
        failed.putArray("issue").addObject().put("severity", "error").put("code", "timeout");
        prefetch(request).set("observations", failed);
        assertThat(missingKeys(post(SIGN, request)))
                .containsExactlyInAnyOrder("prefetch.conditions", "prefetch.observations");

        ObjectNode serverWithoutToken = pumpOrder();
        serverWithoutToken.remove("prefetch");
        serverWithoutToken.put("fhirServer", sandboxUrl());
        assertThat(missingKeys(post(SIGN, serverWithoutToken))).hasSize(PREFETCH_KEYS.size());
        assertThat(ehr.received()).as("no query without a token").isEmpty();
    }

    @Test
    void paginatedPrefetchIsPagedThroughTheServer() {
        String firstPage = given().urlEncodingEnabled(false)
                .get(sandboxUrl() + "/Observation?patient=" + PATIENT + "&_count=1").asString();
        ObjectNode bundle = (ObjectNode) JSON.readTree(firstPage);
        assertThat(bundle.toString()).contains("\"relation\":\"next\"");
        stopListening();
        listen();

        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        prefetch(request).set("observations", bundle);
        assertThat(okCards(post(SIGN, request))).hasSize(1);
        assertThat(ehr.received()).hasSize(2).allSatisfy(r -> {
            assertThat(r.url()).contains("_getpages");
            assertThat(r.authorization()).isEqualTo("Bearer " + TOKEN);
        });

        ObjectNode noAccess = pumpOrder();
        prefetch(noAccess).set("observations", bundle);
        Response refused = post(SIGN, noAccess);
        assertThat(missingKeys(refused)).containsExactly("prefetch.observations");
        assertThat(refused.asString()).contains("paginated");
    }

    @Test
    void aTokenGrantedForAnotherPatientIsNeverUsed() {
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        ((ObjectNode) request.get("fhirAuthorization")).put("patient", "someone-else");
        prefetch(request).remove("conditions");
        Response refused = post(SIGN, request);
        assertThat(missingKeys(refused)).containsExactly("prefetch.conditions");
        assertThat(refused.asString()).contains("granted for another patient");
        assertThat(ehr.received()).isEmpty();
        ((ObjectNode) request.get("fhirAuthorization")).put("patient", PATIENT);
        okCards(post(SIGN, request));
        assertThat(queriedTypes()).contains("Condition");
    }

    @Test
    void aNextLinkToAnotherServerIsNeverFollowedWithTheToken(CapturedOutput output) {
        ObjectNode bundle = searchset(resource("Observation", "o1"));
        bundle.putArray("link").addObject().put("relation", "next").put("url", "https://elsewhere.invalid/fhir/page2");
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        prefetch(request).set("observations", bundle);
        Response refused = post(SIGN, request);
        assertThat(missingKeys(refused)).containsExactly("prefetch.observations");
        assertThat(refused.asString()).contains(PrefetchResolver.QUERY_FAILED);
        assertThat(output.getAll()).contains("away from fhirServer");
    }

    @Test
    void aServerThatIsDownGives412WithinTheDeadline(CapturedOutput output) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ObjectNode request = withAccess(pumpOrder(), "http://127.0.0.1:" + closedPort + "/fhir");
        prefetch(request).remove("conditions");
        long start = System.nanoTime();
        Response response = post(SIGN, request);
        assertThat(missingKeys(response)).containsExactly("prefetch.conditions");
        assertThat(response.asString()).contains(PrefetchResolver.QUERY_FAILED);
        assertThat(output.getAll()).contains("connection was refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aSlowServerGives412AtTheCallDeadlineNeverAHang() {
        try (StubHttpServer slow = StubHttpServer.slow(Duration.ofSeconds(10))) {
            ObjectNode request = withAccess(pumpOrder(), slow.baseUrl());
            request.remove("prefetch");
            long start = System.nanoTime();
            Response response = post(SIGN, request);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(missingKeys(response)).hasSize(PREFETCH_KEYS.size());
            // the test profile sets read-timeout 1s and call-deadline 1.5s
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void anUnauthorisedAnswerFromTheServerIs412AndLogged(CapturedOutput output) {
        try (StubHttpServer refusing = StubHttpServer.answering(401)) {
            ObjectNode request = withAccess(pumpOrder(), refusing.baseUrl());
            prefetch(request).remove("patient");
            Response response = post(SIGN, request);
            assertThat(missingKeys(response)).containsExactly("prefetch.patient");
            assertThat(response.asString()).contains(PrefetchResolver.QUERY_FAILED).doesNotContain("401");
            assertThat(output.getAll()).contains("HTTP 401");
        }
    }

    @Test
    void theTokenAndPatientDataNeverReachTheLogsOrTheErrorBody(CapturedOutput output) {
        ObjectNode request = withAccess(pumpOrder(), sandboxUrl());
        request.remove("prefetch");
        okCards(post(SIGN, request));
        ObjectNode refusedRequest = withAccess(pumpOrder(), "http://127.0.0.1:1/fhir");
        refusedRequest.remove("prefetch");
        String refused = post(SIGN, refusedRequest).asString();
        assertThat(refused).doesNotContain(TOKEN);
        assertThat(output.getAll()).doesNotContain(TOKEN).doesNotContain(PATIENT).doesNotContain("Robert")
                .contains("service=pump-order-sign").contains("hookInstance=" + request.get("hookInstance").asString());
    }
}
