package org.pumpcds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.pumpcds.compounding.StabilityEvaluator;
import org.pumpcds.coverage.Check;
import org.pumpcds.coverage.Therapy;
import org.pumpcds.knowledge.PolicyKnowledge;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published schema (knowledge/schema/policy.schema.json) and the Java checks describe the same vocabulary: the
 * same kinds, each with exactly its record's parameters, the same therapies, and every value-set parameter checked.
 */
class PolicySchemaTest {

    private static JsonNode schema() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(Path.of("knowledge/schema/policy.schema.json")));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    @Test
    void theSchemaListsExactlyTheKindsTheServiceImplements() throws IOException {
        Set<String> implemented = new TreeSet<>(Check.FACTS.keySet());
        implemented.addAll(StabilityEvaluator.FACTS.keySet());
        assertThat(strings(schema().at("/$defs/check/properties/kind/enum"))).isEqualTo(implemented);
        Set<String> bound = Arrays.stream(Check.class.getAnnotation(JsonSubTypes.class).value()).map(JsonSubTypes.Type::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(bound).isEqualTo(new TreeSet<>(Check.FACTS.keySet()));
    }

    @Test
    void theElementKindsTheLoaderPlacesAreTheOnesTheCompoundingCardChecks() {
        Set<String> elements = new TreeSet<>(PolicyKnowledge.PHARMACY_ELEMENT_KINDS);
        elements.addAll(PolicyKnowledge.LABEL_ELEMENT_KINDS);
        assertThat(elements).isEqualTo(new TreeSet<>(StabilityEvaluator.FACTS.keySet()));
    }

    @Test
    void eachKindsSchemaParametersAreItsRecordsComponents() throws IOException {
        JsonNode defs = schema().get("$defs");
        for (JsonSubTypes.Type type : Check.class.getAnnotation(JsonSubTypes.class).value()) {
            Set<String> schemaParameters = new TreeSet<>(defs.get("kind-" + type.name()).get("properties").propertyNames());
            schemaParameters.remove("kind");
            Set<String> components = Arrays.stream(type.value().getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(schemaParameters).as(type.name()).isEqualTo(components);
        }
        for (String kind : StabilityEvaluator.FACTS.keySet()) {
            assertThat(defs.get("kind-" + kind)).as(kind).isNotNull();
        }
    }

    @Test
    void theSchemasTherapiesAreTheClassifiersTherapies() throws IOException {
        assertThat(strings(schema().at("/$defs/therapy/enum"))).isEqualTo(new TreeSet<>(Therapy.ids()));
    }

    @Test
    void everyValueSetParameterIsCheckedAgainstTheCodeSets() throws IOException {
        Set<String> valueSetParameters = new HashSet<>();
        collect(schema(), null, valueSetParameters);
        assertThat(valueSetParameters).isEqualTo(PolicyKnowledge.VALUE_SET_KEYS);
    }

    /** Names of schema properties whose value (or items) is a value set id. */
    private static void collect(JsonNode node, String property, Set<String> out) {
        if (node.isObject()) {
            if ("#/$defs/valueSetId".equals(node.path("$ref").asString(null)) && property != null) {
                out.add(property);
            }
            if (node.has("items")) {
                collect(node.get("items"), property, out);
            }
            node.path("properties").properties().forEach(e -> collect(e.getValue(), e.getKey(), out));
            node.properties().forEach(e -> {
                if (!e.getKey().equals("properties") && !e.getKey().equals("items")) {
                    collect(e.getValue(), null, out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, null, out));
        }
    }
}
