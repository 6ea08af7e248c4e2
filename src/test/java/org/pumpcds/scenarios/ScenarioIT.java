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
import org.pumpcds.support.StubHttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Clinical scenarios as data: every folder under src/test/resources/scenarios/{hook}/ holds scenario.yaml (the
 * story), request.json (the hook call, without prefetch) and expected.json (per card: order, indicator, exactly the
 * findings it carries with their evidence references, and optionally source, suggestions, override reasons and
 * summary, detail or suggestion text).
 * The scenario's patient is in the embedded sandbox (src/main/resources/sandbox/scenario-*.json).
 * Each runs twice over HTTP: with prefetch filled from the discovery templates against the sandbox (as an EHR
 * fills it), and without prefetch, so the service queries the sandbox with the bearer token itself.
 */
class ScenarioIT extends ApiTest {

    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    /**
     * {@code -Dscenarios.write-golden=true} records what the service answers into each expected.json's findings (run
     * with prefetch), for a new scenario or a deliberate change; review the diff like any other change.
     */
    private static final boolean WRITE_GOLDEN = Boolean.getBoolean("scenarios.write-golden");
    private static final tools.jackson.databind.ObjectMapper YAML = tools.jackson.dataformat.yaml.YAMLMapper.builder().build();

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
        String patient = request.path("context").path("patientId").asString();
        // "recordOf: <patient>" in scenario.yaml: the EHR answers with another patient's record, in prefetch and
        // from its FHIR server, as a broken or hostile EHR could
        String recordOf = YAML.readTree(read(folder.resolve("scenario.yaml"))).path("recordOf").asString(patient);
        try (StubHttpServer ehr = recordOf.equals(patient) ? null : StubHttpServer.forwarding(sandboxUrl(),
                query -> query.replace("patient=" + patient, "patient=" + recordOf).replace("Patient/" + patient, "Patient/" + recordOf))) {
            request.put("fhirServer", ehr == null ? sandboxUrl() : ehr.baseUrl());
            run(folder, withPrefetch, request, expected, service, recordOf);
        }
    }

    private void run(Path folder, boolean withPrefetch, ObjectNode request, JsonNode expected, String service, String recordOf) {
        ObjectNode auth = request.putObject("fhirAuthorization");
        auth.put("access_token", "scenario-token");
        auth.put("token_type", "Bearer");
        auth.put("expires_in", 300);
        auth.put("scope", "patient/*.read");
        auth.put("subject", "pump-cds-hooks");
        if (withPrefetch) {
            request.set("prefetch", prefetchFromSandbox(service, recordOf));
        }
        Response response = post(service, request);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode body = json(response);
        CdsResponseAssertions.assertValidResponse(body);
        JsonNode cards = body.get("cards");
        if (WRITE_GOLDEN && withPrefetch) {
            write(folder.resolve("expected.json"), record(expected, cards));
            return;
        }
        assertThat(cards).as("cards: %s", cards).hasSize(expected.get("cards").size());
        for (JsonNode want : expected.get("cards")) {
            JsonNode card = cardFor(cards, want.get("order").asString(), want.path("card").asString());
            String where = want.get("order").asString() + " " + want.path("card").asString() + " in " + card;
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
            if (want.has("detailExcludes")) {
                assertThat(card.path("detail").asString()).as(where).doesNotContain(want.get("detailExcludes").asString());
            }
            if (want.has("summaryContains")) {
                assertThat(card.path("summary").asString()).as(where).contains(want.get("summaryContains").asString());
            }
            if (want.has("overrideReasons")) {
                assertThat(card.path("overrideReasons").size()).as(where).isEqualTo(want.get("overrideReasons").asInt());
            }
            if (want.has("suggestionContains")) {
                assertThat(card.path("suggestions").toString()).as(where).contains(want.get("suggestionContains").asString());
            }
            List<String> actual = new ArrayList<>();
            card.path("extension").path("org.pumpcds.findings").forEach(f -> actual.add(finding(f)));
            List<String> wanted = new ArrayList<>();
            want.get("findings").forEach(f -> wanted.add(finding(f)));
            // exact: every finding the service emits is expected, with its evidence references
            assertThat(actual).as(where).containsExactlyInAnyOrderElementsOf(wanted);
        }
    }

    /**
     * The expected file rewritten from what the service answered: every card (order, kind, indicator, findings with
     * their evidence references), keeping the text assertions a person wrote on a card of the same order and kind.
     */
    private static JsonNode record(JsonNode expected, JsonNode cards) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode written = out.putArray("cards");
        for (JsonNode card : cards) {
            String order = card.path("extension").path("org.pumpcds.findings").path(0).path("order").asString();
            String kind = card.path("extension").path("org.pumpcds.card").asString();
            ObjectNode entry = written.addObject();
            entry.put("order", order);
            entry.put("card", kind);
            entry.put("indicator", card.path("indicator").asString());
            for (JsonNode old : expected.path("cards")) {
                boolean same = order.equals(old.path("order").asString())
                        && kind.equals(old.path("card").asString(kind.equals("contraindications") ? "" : kind));
                if (same) {
                    old.properties().forEach(field -> {
                        if (!List.of("order", "card", "indicator", "findings").contains(field.getKey())) {
                            entry.set(field.getKey(), field.getValue());
                        }
                    });
                }
            }
            ArrayNode findings = entry.putArray("findings");
            card.path("extension").path("org.pumpcds.findings").forEach(f -> {
                ObjectNode golden = findings.addObject();
                golden.put("ruleId", f.path("ruleId").asString());
                golden.put("status", f.path("status").asString());
                golden.put("indicator", f.path("indicator").asString());
                ArrayNode references = golden.putArray("evidence");
                f.path("evidence").forEach(e -> {
                    if (e.has("reference")) {
                        references.add(e.get("reference").asString());
                    }
                });
            });
        }
        return out;
    }

    /** Rule, status, indicator and evidence references of one finding, as one comparable line. */
    private static String finding(JsonNode finding) {
        List<String> references = new ArrayList<>();
        for (JsonNode evidence : finding.path("evidence")) {
            references.add(evidence.isString() ? evidence.asString() : evidence.path("reference").asString(""));
        }
        references.removeIf(String::isEmpty);
        return finding.path("ruleId").asString() + " " + finding.path("status").asString() + " "
                + finding.path("indicator").asString() + " " + references;
    }

    private static void write(Path file, JsonNode expected) {
        try {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The card for an order of the given kind (coverage, compounding, contraindications). */
    private static JsonNode cardFor(JsonNode cards, String order, String kind) {
        for (JsonNode card : cards) {
            JsonNode first = card.path("extension").path("org.pumpcds.findings").path(0);
            if (order.equals(first.path("order").asString()) && kind.equals(card.path("extension").path("org.pumpcds.card").asString())) {
                return card;
            }
        }
        throw new AssertionError("No " + kind + " card for " + order + " in " + cards);
    }
}
