package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.CdsResponseAssertions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * "Never a 500": every node of representative requests (prefetch, contained Medication, evidence, orders) is
 * replaced in turn by null, a number, a string, an empty object and an empty array. Each mutant must get a 2xx
 * with a valid response, or a 4xx with an OperationOutcome; never a 5xx.
 *
 * <p>The ~2,900 mutants are sent by the JDK's HTTP client over kept-alive connections, {@link #IN_FLIGHT} at a time,
 * so both cores work: one rest-assured call after another (a new HTTP client and connection per call) made this the
 * slowest class of the suite. Every mutant is still sent and checked the same way; every failing one is counted
 * (not only the first) and the first {@link #SHOWN} are listed.
 */
class MalformedInputIT extends ApiTest {

    private static final List<String> REQUESTS = List.of("readme/order-sign-with-prefetch.json",
            "readme/order-sign-no-prefetch.json",
            "scenarios/order-sign/009-s24-planned-interval-exceeds-documented/request.json",
            "scenarios/order-sign/123-s15-cancer-pain-life-expectancy-2-months/request.json");

    /**
     * Mutants in flight at once. Kept low: a mutant without prefetch makes about ten fallback queries to the
     * sandbox, and those must stay well under {@code pumpcds.fhir-query.max-per-server} (32) and the 1.5 s call
     * deadline, so each mutant takes the same path it takes when sent alone.
     */
    private static final int IN_FLIGHT = 3;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Failing mutants listed in the report (all are counted). */
    private static final int SHOWN = 25;

    private record Mutant(String path, JsonNode replacement, String body) {
    }

    @TestFactory
    Stream<DynamicTest> noMutantGetsA5xx() {
        return REQUESTS.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            ObjectNode original = fixture(file);
            if (original.has("fhirServer")) {
                original.put("fhirServer", sandboxUrl());
            }
            List<String> paths = new ArrayList<>();
            collect(original, "", paths);
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            List<JsonNode> replacements = List.of(nodes.nullNode(), nodes.numberNode(7), nodes.stringNode("x"),
                    nodes.objectNode(), nodes.arrayNode());
            URI service = URI.create("http://localhost:" + port + "/cds-services/pump-" + original.get("hook").asString());
            List<String> failures = new ArrayList<>();
            ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
            try {
                List<Future<String>> checks = new ArrayList<>();
                for (String path : paths) {
                    for (JsonNode replacement : replacements) {
                        ObjectNode mutant = original.deepCopy();
                        replace(mutant, path, replacement);
                        Mutant sent = new Mutant(path, replacement, mutant.toString());
                        checks.add(senders.submit(() -> check(service, sent)));
                    }
                }
                for (Future<String> check : checks) {
                    String failure = check.get();
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
            } finally {
                senders.shutdownNow();
            }
            assertThat(failures.subList(0, Math.min(failures.size(), SHOWN)))
                    .as("%d of %d mutants of %s failed (at most %d shown)", failures.size(), paths.size() * replacements.size(),
                            file, SHOWN)
                    .isEmpty();
        }));
    }

    /** Sends one mutant; null when its answer is acceptable, otherwise what is wrong with it. */
    private static String check(URI service, Mutant mutant) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(service)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Accept", "*/*")
                            .POST(HttpRequest.BodyPublishers.ofString(mutant.body(), StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            int status = response.statusCode();
            if (status >= 500) {
                return status + " at " + mutant.path() + " = " + mutant.replacement();
            } else if (status == 200) {
                CdsResponseAssertions.assertValidResponse(JSON.readTree(response.body()));
            } else {
                assertThat(JSON.readTree(response.body()).path("resourceType").asString()).as(mutant.path())
                        .isEqualTo("OperationOutcome");
            }
            return null;
        } catch (AssertionError | Exception e) {
            return kind(e) + " at " + mutant.path() + " = " + mutant.replacement() + ": " + e.getMessage();
        }
    }

    private static String kind(Throwable e) {
        return e instanceof AssertionError ? "invalid answer" : e.getClass().getSimpleName();
    }

    private static void collect(JsonNode node, String path, List<String> paths) {
        if (!path.isEmpty()) {
            paths.add(path);
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collect(field.getValue(), path + "/" + field.getKey(), paths);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "/" + i, paths);
            }
        }
    }

    private static void replace(JsonNode root, String path, JsonNode replacement) {
        int slash = path.lastIndexOf('/');
        JsonNode parent = root.at(path.substring(0, slash));
        String last = path.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, replacement);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), replacement);
        }
    }
}
