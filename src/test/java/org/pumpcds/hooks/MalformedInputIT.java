package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 */
class MalformedInputIT extends ApiTest {

    private static final List<String> REQUESTS = List.of("readme/order-sign-with-prefetch.json",
            "readme/order-sign-no-prefetch.json",
            "scenarios/order-sign/009-s24-planned-interval-exceeds-documented/request.json",
            "scenarios/order-sign/123-s15-cancer-pain-life-expectancy-2-months/request.json");

    @TestFactory
    Stream<DynamicTest> noMutantGetsA5xx() {
        return REQUESTS.stream().map(file -> DynamicTest.dynamicTest(file, () -> {
            ObjectNode original = fixture(file);
            if (original.has("fhirServer")) {
                original.put("fhirServer", sandboxUrl());
            }
            List<String> paths = new ArrayList<>();
            collect(original, "", paths);
            List<String> failures = new ArrayList<>();
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            List<JsonNode> replacements = List.of(nodes.nullNode(), nodes.numberNode(7), nodes.stringNode("x"),
                    nodes.objectNode(), nodes.arrayNode());
            for (String path : paths) {
                for (JsonNode replacement : replacements) {
                    ObjectNode mutant = original.deepCopy();
                    replace(mutant, path, replacement);
                    Response response = post("/cds-services/pump-" + original.get("hook").asString(), mutant);
                    int status = response.statusCode();
                    if (status >= 500) {
                        failures.add(status + " at " + path + " = " + replacement);
                    } else if (status == 200) {
                        CdsResponseAssertions.assertValidResponse(json(response));
                    } else {
                        assertThat(json(response).path("resourceType").asString()).as(path).isEqualTo("OperationOutcome");
                    }
                }
            }
            assertThat(failures).as("mutants of " + file).isEmpty();
        }));
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
