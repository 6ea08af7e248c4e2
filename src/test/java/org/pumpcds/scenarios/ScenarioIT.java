package org.pumpcds.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.CdsResponseAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Clinical scenarios as data: every folder under src/test/resources/scenarios/{hook}/ holds scenario.yaml (the
 * story), request.json (the hook call, without prefetch) and expected.json (per card: order, indicator, the
 * findings that must be there, and optionally source, suggestions, detail text and rules that must be absent).
 * The scenario's patient is in the embedded sandbox (src/main/resources/sandbox/scenario-*.json).
 * Each runs twice over HTTP: with prefetch filled from the discovery templates against the sandbox (as an EHR
 * fills it), and without prefetch, so the service queries the sandbox with the bearer token itself.
 */
class ScenarioIT extends ApiTest {

    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");

    @TestFactory
    Stream<DynamicContainer> scenarios() throws IOException {
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(SCENARIOS, 2)) {
            folders = walk.filter(p -> Files.exists(p.resolve("request.json"))).sorted().toList();
        }
        assertThat(folders).isNotEmpty();
        return folders.stream().map(folder -> DynamicContainer.dynamicContainer(
                folder.getParent().getFileName() + "/" + folder.getFileName(), Stream.of(
                        DynamicTest.dynamicTest("with prefetch", () -> run(folder, true)),
                        DynamicTest.dynamicTest("without prefetch", () -> run(folder, false)))));
    }

    private void run(Path folder, boolean withPrefetch) {
        ObjectNode request = (ObjectNode) JSON.readTree(read(folder.resolve("request.json")));
        JsonNode expected = JSON.readTree(read(folder.resolve("expected.json")));
        String hook = request.get("hook").asString();
        String service = "/cds-services/pump-" + hook;
        request.put("fhirServer", sandboxUrl());
        ObjectNode auth = request.putObject("fhirAuthorization");
        auth.put("access_token", "scenario-token");
        auth.put("token_type", "Bearer");
        auth.put("expires_in", 300);
        auth.put("scope", "patient/*.read");
        auth.put("subject", "pump-cds-hooks");
        if (withPrefetch) {
            request.set("prefetch", prefetchFromSandbox(service, request.path("context").path("patientId").asString()));
        }
        Response response = post(service, request);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode body = json(response);
        CdsResponseAssertions.assertValidResponse(body);
        JsonNode cards = body.get("cards");
        assertThat(cards).as("cards: %s", cards).hasSize(expected.get("cards").size());
        for (JsonNode want : expected.get("cards")) {
            JsonNode card = cardFor(cards, want.get("order").asString());
            String where = want.get("order").asString() + " in " + card;
            assertThat(card.path("indicator").asString()).as(where).isEqualTo(want.get("indicator").asString());
            if (want.has("source")) {
                assertThat(card.path("source").path("label").asString()).as(where).isEqualTo(want.get("source").asString());
            }
            if (want.has("suggestions")) {
                assertThat(card.path("suggestions").size()).as(where).isEqualTo(want.get("suggestions").asInt());
            }
            if (want.has("detailContains")) {
                assertThat(card.path("detail").asString()).as(where).contains(want.get("detailContains").asString());
            }
            List<String> actual = new ArrayList<>();
            card.path("extension").path("org.pumpcds.findings").forEach(f -> actual.add(
                    f.path("ruleId").asString() + " " + f.path("status").asString() + " " + f.path("indicator").asString()));
            for (JsonNode finding : want.get("findings")) {
                assertThat(actual).as(where).contains(finding.path("ruleId").asString() + " "
                        + finding.path("status").asString() + " " + finding.path("indicator").asString());
            }
            for (JsonNode absent : want.path("absentRules")) {
                assertThat(actual).as(where).noneMatch(a -> a.startsWith(absent.asString() + " "));
            }
        }
    }

    private static JsonNode cardFor(JsonNode cards, String order) {
        for (JsonNode card : cards) {
            for (JsonNode finding : card.path("extension").path("org.pumpcds.findings")) {
                if (order.equals(finding.path("order").asString())) {
                    return card;
                }
            }
        }
        throw new AssertionError("No card for " + order + " in " + cards);
    }
}
