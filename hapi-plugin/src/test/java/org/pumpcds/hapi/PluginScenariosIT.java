package org.pumpcds.hapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The plug-in jar (the shaded artifact, on the host's Spring Boot 3.5 / Jackson 2 / HAPI FHIR 8.8.0) inside a host
 * wired as the starter wires CDS Hooks, called through HAPI's CDS Hooks controller over HTTP: discovery lists the
 * standalone service's descriptors, and every clinical scenario gets exactly the findings the standalone service
 * gives (its expected.json), with prefetch and without it, the data then read from the host's FHIR server.
 */
@SpringBootTest(classes = HostApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class PluginScenariosIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CORE = Path.of(System.getProperty("core.dir", ".."));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PORT = freePort();

    @DynamicPropertySource
    static void host(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        // the host's own FHIR server is where calls without prefetch are read from, as an EHR's would be
        registry.add("pumpcds.fhir-query.allowed-servers[0]", () -> base() + "/fhir");
        registry.add("pumpcds.coverage.payers[0].system", () -> "https://pump-cds.github.io/fhir/sandbox-payer-id");
        registry.add("pumpcds.coverage.payers[0].value", () -> "anthem");
        registry.add("pumpcds.coverage.payers[0].policy", () -> "cg-surg-79");
        registry.add("pumpcds.coverage.payers[1].system", () -> "https://pump-cds.github.io/fhir/sandbox-payer-id");
        registry.add("pumpcds.coverage.payers[1].value", () -> "bcbsaz");
        registry.add("pumpcds.coverage.payers[1].policy", () -> "bcbsaz");
        registry.add("pumpcds.coverage.payers[2].system", () -> "https://pump-cds.github.io/fhir/sandbox-payer-id");
        registry.add("pumpcds.coverage.payers[2].value", () -> "medicare");
        registry.add("pumpcds.coverage.payers[2].policy", () -> "cms");
        registry.add("pumpcds.feedback.jdbc-url", () -> "jdbc:h2:mem:plugin-feedback;DB_CLOSE_DELAY=-1");
        registry.add("pumpcds.cors.allowed-origins[0]", () -> "https://sandbox.cds-hooks.org");
        registry.add("pumpcds.coverage.payers[3].plan", () -> "medicare-part-b");
        registry.add("pumpcds.coverage.payers[3].policy", () -> "cms");
    }

    private static String base() {
        return "http://localhost:" + PORT;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String path, JsonNode body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void discoveryListsTheStandaloneServicesWithTheirPrefetchTemplates() throws IOException {
        JsonNode discovery = JSON.readTree(get(base() + "/cds-services").body());
        List<String> ids = new ArrayList<>();
        discovery.path("services").forEach(s -> ids.add(s.path("id").asText() + " " + s.path("hook").asText()));
        assertThat(ids).contains("pump-order-select order-select", "pump-order-sign order-sign");
        JsonNode sign = null;
        for (JsonNode service : discovery.path("services")) {
            if (service.path("id").asText().equals("pump-order-sign")) {
                sign = service;
            }
        }
        assertThat(sign.path("title").asText()).isEqualTo("Implantable infusion pump: signing checks");
        assertThat(sign.path("prefetch").path("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
        assertThat(sign.path("prefetch").size()).isEqualTo(10);
    }

    @Test
    void feedbackReachesTheSameHandlingAsTheStandaloneService() throws IOException {
        JsonNode item = JSON.readTree("""
                {"feedback": [{"card": "0f3c6d2e-1111-4d5e-9a6b-000000000001", "outcome": "overridden",
                  "outcomeTimestamp": "2026-11-27T10:00:00Z",
                  "overrideReason": {"reason": {"system": "https://pump-cds.github.io/fhir/CodeSystem/pump-cds",
                    "code": "clinical-exception"}, "userComment": "reviewed"}}]}""");
        HttpResponse<String> first = post("/cds-services/pump-order-sign/feedback", item);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).path("stored").asInt()).isEqualTo(1);
        HttpResponse<String> repeat = post("/cds-services/pump-order-sign/feedback", item);
        assertThat(JSON.readTree(repeat.body()).path("stored").asInt()).as("a repeat is stored once").isZero();
        HttpResponse<String> bad = post("/cds-services/pump-order-select/feedback",
                JSON.readTree("{\"feedback\": [{\"card\": \"x\", \"outcome\": \"ignored\", \"outcomeTimestamp\": \"2026-11-27T10:00:00Z\"}]}"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("issue").path(0).path("expression").path(0).asText()).isEqualTo("feedback[0].outcome");
    }

    @Test
    void aCallNamingNeitherPrefetchNorFhirServerIsNotAnsweredFromTheHostsDatabaseUnlessAllowed() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(Files.readString(
                CORE.resolve("src/test/resources/scenarios/order-sign/119-s12-failed-back-surgery-successful-trial/request.json")));
        request.remove("fhirServer");
        request.remove("prefetch");
        HttpResponse<String> response = post("/cds-services/pump-order-sign", request);
        assertThat(response.statusCode()).as(response.body()).isGreaterThanOrEqualTo(400);
        assertThat(response.body()).doesNotContain("cg-surg-79");
    }

    @Test
    void aPatientIdThatIsNotAFhirIdIsRefusedNotEvaluated() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(Files.readString(
                CORE.resolve("src/test/resources/scenarios/order-sign/119-s12-failed-back-surgery-successful-trial/request.json")));
        ((ObjectNode) request.get("context")).put("patientId", "cov-s12,other&code=x");
        request.set("prefetch", prefetch("pump-order-sign", "cov-s12"));
        HttpResponse<String> response = post("/cds-services/pump-order-sign", request);
        // the plug-in refuses (InvalidRequestException); the host decides the status: Spring MVC here, and the
        // starter's servlet, answer 500 for every HAPI exception
        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(response.body()).doesNotContain("\"cards\"");
    }

    @Test
    void browserClientsGetCorsOnTheServicesTheHostLeavesWithout() throws IOException, InterruptedException {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/cds-services/pump-order-sign"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://sandbox.cds-hooks.org")
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://sandbox.cds-hooks.org");
        HttpResponse<String> discovery = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/cds-services"))
                .header("Origin", "https://sandbox.cds-hooks.org").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.headers().firstValue("Access-Control-Allow-Origin")).contains("https://sandbox.cds-hooks.org");
        HttpResponse<String> other = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/cds-services"))
                .header("Origin", "https://evil.example").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @TestFactory
    Stream<DynamicContainer> everyScenarioGetsTheStandaloneFindings() throws IOException {
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(CORE.resolve("src/test/resources/scenarios"), 2)) {
            folders = walk.filter(p -> Files.exists(p.resolve("request.json"))).sorted().toList();
        }
        assertThat(folders).hasSizeGreaterThan(70);
        return folders.stream().map(folder -> DynamicContainer.dynamicContainer(
                folder.getParent().getFileName() + "/" + folder.getFileName(), Stream.of(
                        DynamicTest.dynamicTest("with prefetch", () -> run(folder, true)),
                        DynamicTest.dynamicTest("without prefetch, read from the host", () -> run(folder, false)))));
    }

    private void run(Path folder, boolean withPrefetch) throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(Files.readString(folder.resolve("request.json")));
        JsonNode expected = JSON.readTree(Files.readString(folder.resolve("expected.json")));
        String scenario = Files.readString(folder.resolve("scenario.yaml"));
        String patient = request.path("context").path("patientId").asText();
        String recordOf = scenario.lines().filter(l -> l.startsWith("recordOf:")).map(l -> l.substring(9).replaceFirst("#.*", "").trim()).findFirst()
                .orElse(patient);
        if (!withPrefetch && !recordOf.equals(patient)) {
            return; // another patient's record from the FHIR server needs a forwarding EHR: the standalone ScenarioIT covers it
        }
        String service = "pump-" + request.path("hook").asText();
        request.put("fhirServer", base() + "/fhir");
        ObjectNode authorization = request.putObject("fhirAuthorization");
        authorization.put("access_token", "scenario-token").put("token_type", "Bearer").put("expires_in", 300)
                .put("scope", "patient/*.read").put("subject", "pump-cds-hooks");
        if (withPrefetch) {
            request.set("prefetch", prefetch(service, recordOf));
        }
        HttpResponse<String> response = post("/cds-services/" + service, request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode cards = JSON.readTree(response.body()).path("cards");
        assertThat(cards.size()).as("cards: %s", cards).isEqualTo(expected.path("cards").size());
        for (JsonNode want : expected.path("cards")) {
            JsonNode card = cardFor(cards, want.path("order").asText(), want.path("card").asText());
            assertThat(card.path("indicator").asText()).isEqualTo(want.path("indicator").asText());
            List<String> actual = new ArrayList<>();
            card.path("extension").path("org.pumpcds.findings").forEach(f -> actual.add(finding(f)));
            List<String> wanted = new ArrayList<>();
            want.path("findings").forEach(f -> wanted.add(finding(f)));
            assertThat(actual).as(folder + " " + want.path("order").asText()).containsExactlyInAnyOrderElementsOf(wanted);
        }
    }

    /** The prefetch an EHR would send, filled from the host's FHIR server with the discovery templates. */
    private ObjectNode prefetch(String service, String patient) throws IOException {
        ObjectNode prefetch = JSON.createObjectNode();
        for (JsonNode entry : JSON.readTree(get(base() + "/cds-services").body()).path("services")) {
            if (!entry.path("id").asText().equals(service)) {
                continue;
            }
            for (var template : entry.path("prefetch").properties()) {
                String url = base() + "/fhir/" + template.getValue().asText().replace("{{context.patientId}}", patient)
                        .replace("|", "%7C");
                HttpResponse<String> answer = get(url);
                if (answer.statusCode() == 404) {
                    prefetch.putNull(template.getKey());
                } else {
                    prefetch.set(template.getKey(), JSON.readTree(answer.body()));
                }
            }
        }
        return prefetch;
    }

    private static String finding(JsonNode finding) {
        List<String> references = new ArrayList<>();
        for (JsonNode evidence : finding.path("evidence")) {
            references.add(evidence.isTextual() ? evidence.asText() : evidence.path("reference").asText(""));
        }
        references.removeIf(String::isEmpty);
        return finding.path("ruleId").asText() + " " + finding.path("status").asText() + " " + finding.path("indicator").asText()
                + " " + references;
    }

    private static JsonNode cardFor(JsonNode cards, String order, String kind) {
        for (JsonNode card : cards) {
            JsonNode first = card.path("extension").path("org.pumpcds.findings").path(0);
            if (order.equals(first.path("order").asText()) && kind.equals(card.path("extension").path("org.pumpcds.card").asText())) {
                return card;
            }
        }
        throw new AssertionError("No " + kind + " card for " + order + " in " + cards);
    }
}
