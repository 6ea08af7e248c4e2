package org.pumpcds.fhirjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** HAPI reading the request's Jackson tree must give exactly what it gives reading the same JSON as text. */
class FhirJsonTreeTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** As the service reads requests: decimals keep their exact value. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Test
    void everyResourceOfEveryRequestFileParsesAsFromText() throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        for (String folder : List.of("src/test/resources", "src/main/resources/sandbox")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    JsonNode json = JSON.readTree(file.toFile());
                    collect(json, resources); // a sandbox patient's Bundle
                    json.path("prefetch").values().forEach(value -> collect(value, resources));
                    collect(json.path("context").path("draftOrders"), resources);
                }
            }
        }
        // the scenarios' orders, the sandbox patients' records, the README and benchmark requests
        assertThat(resources.size()).isGreaterThan(800);
        for (JsonNode resource : resources) {
            assertThat(encode(FhirJsonTree.parse(FHIR, resource))).as(resource.path("resourceType").asString() + " "
                    + resource.path("id").asString()).isEqualTo(encode(fromText(resource)));
        }
    }

    /** A Bundle, and each entry's resource on its own: both ways the service parses prefetch. */
    private static void collect(JsonNode value, List<JsonNode> resources) {
        if (!value.isObject() || !value.has("resourceType")) {
            return;
        }
        resources.add(value);
        for (JsonNode entry : value.path("entry")) {
            collect(entry.path("resource"), resources);
        }
    }

    @Test
    void decimalsKeepTheirDigitsAndExponentsReadAsHapiReadsThem() {
        JsonNode observation = JSON.readTree("""
                {"resourceType":"Observation","status":"final","code":{"text":"t"},
                 "valueQuantity":{"value":37.50,"unit":"Cel"},
                 "component":[{"code":{"text":"c"},"valueQuantity":{"value":1E+3}},{"code":{"text":"d"},"valueInteger":7},
                              {"code":{"text":"e"},"valueBoolean":false}],
                 "_status":{"extension":[{"url":"http://example.org/x","valueString":"s"}]}}""");
        Observation parsed = (Observation) FhirJsonTree.parse(FHIR, observation);
        assertThat(parsed.getValueQuantity().getValueElement().getValueAsString()).isEqualTo("37.50");
        assertThat(parsed.getComponentFirstRep().getValueQuantity().getValueElement().getValueAsString()).isEqualTo("1000");
        assertThat(encode(parsed)).isEqualTo(encode(fromText(observation)));
    }

    @Test
    void aBundleEntryTakesItsIdFromFullUrlAsWhenParsedWhole() {
        JsonNode bundle = JSON.readTree("""
                {"resourceType":"Bundle","type":"searchset","entry":[
                 {"fullUrl":"http://ehr.example/fhir/Condition/c1","resource":{"resourceType":"Condition","id":"c1",
                  "subject":{"reference":"Patient/p1"}}}]}""");
        Bundle parsed = (Bundle) FhirJsonTree.parse(FHIR, bundle);
        assertThat(parsed.getEntryFirstRep().getResource().getIdElement().getValue())
                .isEqualTo(((Bundle) fromText(bundle)).getEntryFirstRep().getResource().getIdElement().getValue());
    }

    @Test
    void whatIsNotAResourceIsRefused() {
        assertThatThrownBy(() -> FhirJsonTree.parse(FHIR, JSON.readTree("[1,2]"))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> FhirJsonTree.parse(FHIR, JSON.readTree("{\"resourceType\":\"NoSuchType\"}")))
                .isInstanceOf(RuntimeException.class);
    }

    private static Resource fromText(JsonNode resource) {
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        return (Resource) parser.parseResource(resource.toString());
    }

    private static String encode(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }
}
