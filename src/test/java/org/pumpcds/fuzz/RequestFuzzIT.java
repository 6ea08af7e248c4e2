package org.pumpcds.fuzz;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded mutation fuzzing of request parsing and evaluation over HTTP: every clinical scenario request, the README
 * requests and a feedback body are mutated structurally (a node replaced by a hostile value, removed, duplicated or
 * moved) and as bytes (flipped, inserted, cut), then sent to the service, feedback or another hook. No answer may
 * be a 5xx, and every non-2xx must be a JSON OperationOutcome. Fallback queries may only reach the in-process
 * sandbox (allowed-servers), so no mutant can send traffic anywhere else.
 *
 * <p>The suite runs a bounded number of inputs; a longer run:
 * {@code ./mvnw verify -Dit.test=RequestFuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.inputs=50000 -Dfuzz.seed=7}.
 * A failing input is written to {@code target/fuzz-failures/}.
 */
class RequestFuzzIT extends ApiTest {

    private static final int PORT = freePort();
    /** Characters that change JSON's structure or a number's or a string's meaning. */
    private static final String BYTE_ALPHABET = "{}[]\",:0-e.\\ntu\u0000";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> HOSTILE = List.of(NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(0),
            NODES.numberNode(-1), NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(new java.math.BigDecimal("1e308")),
            NODES.numberNode(new java.math.BigDecimal("-4.9e-324")), NODES.numberNode(new java.math.BigDecimal("1e400")),
            NODES.stringNode(""), NODES.stringNode(" "), NODES.stringNode("x".repeat(5000)), NODES.stringNode("\u0000\u202e\uFFFF"),
            NODES.stringNode("Patient/../../etc"), NODES.stringNode("2026-13-45T25:61:00Z"), NODES.stringNode("NaN"),
            NODES.stringNode("http://localhost:" + PORT + "/fhir"), NODES.stringNode("{{context.patientId}}"),
            NODES.objectNode(), NODES.arrayNode());

    @org.springframework.test.context.DynamicPropertySource
    static void onlyTheSandbox(org.springframework.test.context.DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("pumpcds.fhir-query.allowed-servers[0]", () -> "http://localhost:" + PORT + "/fhir");
    }

    @Test
    void noMutantGetsA5xx() throws IOException {
        int inputs = Integer.getInteger("fuzz.inputs", 600);
        long seed = Long.getLong("fuzz.seed", 20261127L);
        Random random = new Random(seed);
        List<ObjectNode> seeds = seeds();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            ObjectNode original = seeds.get(random.nextInt(seeds.size()));
            String body = random.nextInt(4) == 0 ? bytes(original.toString(), random) : structural(original.deepCopy(), random).toString();
            String path = target(original, random);
            Response response = given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8)).post(path);
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            boolean operationOutcome = status < 300 || response.asString().contains("\"OperationOutcome\"");
            if (status >= 500 || !operationOutcome) {
                Path saved = Path.of("target/fuzz-failures/" + seed + "-" + i + ".json");
                Files.createDirectories(saved.getParent());
                Files.writeString(saved, path + "\n" + body);
                failures.add(status + " " + path + " -> " + saved);
            }
        }
        System.out.printf("fuzz: seed %d, %d inputs from %d seed requests, statuses %s%n", seed, inputs, seeds.size(), statuses);
        assertThat(failures).isEmpty();
    }

    private static List<ObjectNode> seeds() throws IOException {
        List<ObjectNode> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("request.json")
                    || f.getParent().getFileName().toString().equals("readme")).sorted().toList()) {
                ObjectNode request = (ObjectNode) JSON.readTree(Files.readString(file));
                if (request.has("fhirServer")) {
                    request.put("fhirServer", "http://localhost:" + PORT + "/fhir");
                }
                seeds.add(request);
            }
        }
        seeds.add((ObjectNode) JSON.readTree("{\"feedback\":[{\"card\":\"c1\",\"outcome\":\"overridden\",\"outcomeTimestamp\":"
                + "\"2026-11-21T10:00:00Z\",\"overrideReason\":{\"reason\":{\"system\":\"https://pump-cds.github.io/fhir/CodeSystem/pump-cds\","
                + "\"code\":\"criteria-documented-elsewhere\"},\"userComment\":\"seen\"}},{\"card\":\"c2\",\"outcome\":\"accepted\","
                + "\"outcomeTimestamp\":\"2026-11-21T10:00:00Z\",\"acceptedSuggestions\":[{\"id\":\"s1\"}]}]}"));
        return seeds;
    }

    /** Mostly the seed's own service; sometimes the other hook, feedback, or an unknown service. */
    private static String target(ObjectNode original, Random random) {
        String own = original.has("feedback") ? "/cds-services/pump-order-sign/feedback"
                : "/cds-services/pump-" + original.path("hook").asString("order-sign");
        return switch (random.nextInt(10)) {
            case 0 -> "/cds-services/pump-order-select";
            case 1 -> "/cds-services/pump-order-sign/feedback";
            case 2 -> "/cds-services/no-such-service";
            default -> own;
        };
    }

    private static JsonNode structural(ObjectNode root, Random random) {
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            List<JsonNode[]> edges = new ArrayList<>(); // {parent, child}
            collect(root, edges);
            if (edges.isEmpty()) {
                return root;
            }
            JsonNode[] edge = edges.get(random.nextInt(edges.size()));
            JsonNode replacement = switch (random.nextInt(4)) {
                case 0 -> edges.get(random.nextInt(edges.size()))[1].deepCopy(); // a node from elsewhere
                case 1 -> NODES.arrayNode().add(edge[1].deepCopy()).add(edge[1].deepCopy()); // duplicated
                default -> HOSTILE.get(random.nextInt(HOSTILE.size()));
            };
            boolean remove = random.nextInt(6) == 0;
            if (edge[0] instanceof ObjectNode object) {
                String key = keyOf(object, edge[1]);
                if (remove) {
                    object.remove(key);
                } else {
                    object.set(key, replacement);
                }
            } else if (edge[0] instanceof ArrayNode array) {
                int index = indexOf(array, edge[1]);
                if (remove) {
                    array.remove(index);
                } else {
                    array.set(index, replacement);
                }
            }
        }
        return root;
    }

    private static String bytes(String json, Random random) {
        StringBuilder out = new StringBuilder(json);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && out.length() > 1; m++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.setCharAt(at, BYTE_ALPHABET.charAt(random.nextInt(BYTE_ALPHABET.length())));
                case 1 -> out.insert(at, BYTE_ALPHABET.charAt(random.nextInt(BYTE_ALPHABET.length())));
                case 2 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(20)));
                default -> out.setLength(at);
            }
        }
        return out.toString();
    }

    private static void collect(JsonNode node, List<JsonNode[]> edges) {
        for (JsonNode child : node) {
            edges.add(new JsonNode[] {node, child});
            collect(child, edges);
        }
    }

    private static String keyOf(ObjectNode object, JsonNode child) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getValue() == child) {
                return field.getKey();
            }
        }
        throw new IllegalStateException("child not found");
    }

    private static int indexOf(ArrayNode array, JsonNode child) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) == child) {
                return i;
            }
        }
        throw new IllegalStateException("child not found");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
