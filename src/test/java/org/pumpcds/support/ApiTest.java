package org.pumpcds.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Base of the tests over real HTTP: the whole application on a random port (with its embedded FHIR sandbox,
 * which plays the EHR's FHIR server), called with rest-assured. Short fallback timeouts keep the slow-server
 * tests quick.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:pumpcds-test;DB_CLOSE_DELAY=-1",
        "pumpcds.fhir-query.connect-timeout=500ms",
        "pumpcds.fhir-query.read-timeout=1s",
        "pumpcds.fhir-query.call-deadline=1500ms",
        "pumpcds.fhir-query.max-pages=3",
        // at the end of the run the cached contexts close at once: a graceful stop waited out the 30 s phase timeout
        // for the request SlowBodyIT's chunked oversized body leaves counted as in progress (see the issue note)
        "server.shutdown=immediate"})
public abstract class ApiTest {

    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    protected int port;

    @BeforeEach
    void restAssured() {
        RestAssured.port = port;
    }

    protected String sandboxUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    protected static Response post(String path, String body) {
        return given().contentType("application/json").body(body).when().post(path);
    }

    protected static Response post(String path, JsonNode body) {
        return post(path, body.toString());
    }

    protected static JsonNode json(Response response) {
        return JSON.readTree(response.asString());
    }

    /** Fills every discovery template of {@code service} from the sandbox for the patient, as an EHR fills prefetch. */
    protected ObjectNode prefetchFromSandbox(String service, String patientId) {
        JsonNode discovery = JSON.readTree(given().get("/cds-services").asString());
        ObjectNode prefetch = JSON.createObjectNode();
        for (JsonNode entry : discovery.get("services")) {
            if (!service.endsWith(entry.get("id").asString())) {
                continue;
            }
            for (Map.Entry<String, JsonNode> template : entry.get("prefetch").properties()) {
                String url = sandboxUrl() + "/" + template.getValue().asString()
                        .replace("{{context.patientId}}", patientId).replace("|", "%7C");
                Response answer = given().urlEncodingEnabled(false).get(url);
                if (answer.statusCode() == 404) {
                    prefetch.putNull(template.getKey());
                } else {
                    prefetch.set(template.getKey(), JSON.readTree(answer.then().statusCode(200).extract().asString()));
                }
            }
        }
        return prefetch;
    }

    /** A test resource file as a mutable JSON object. */
    protected static ObjectNode fixture(String path) {
        return (ObjectNode) JSON.readTree(read(Path.of("src/test/resources", path)));
    }

    protected static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
