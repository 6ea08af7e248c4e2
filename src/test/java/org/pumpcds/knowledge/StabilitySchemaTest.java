package org.pumpcds.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published schemas of knowledge/stability/ (knowledge/schema/*.schema.json) and the Java they bind to cannot
 * drift: each object of a schema has exactly its record's components as properties, and the closed vocabularies are
 * the loader's.
 */
class StabilitySchemaTest {

    /** Each schema's objects (JSON pointer in the schema) and the record each binds to. */
    private static final Map<String, Map<String, Class<? extends Record>>> BINDINGS = new LinkedHashMap<>();

    static {
        BINDINGS.put("pumps.schema.json", Map.of("/$defs/pump", PumpModel.class, "/$defs/reservoir", PumpModel.Reservoir.class));
        BINDINGS.put("labeled-products.schema.json", Map.of("/$defs/product", LabeledProduct.class,
                "/$defs/ingredient", Ingredient.class, "/$defs/concentration", Concentration.class,
                "/$defs/concentrationRange", ConcentrationRange.class, "/$defs/dilution", LabeledProduct.Dilution.class,
                "/$defs/use", LabeledProduct.LabeledUse.class));
        BINDINGS.put("refill-limits.schema.json", Map.of("/$defs/limit", RefillLimit.class));
        BINDINGS.put("studies.schema.json", Map.of("/$defs/study", StabilityRecord.class, "/$defs/ingredient", Ingredient.class,
                "/$defs/concentrationRange", ConcentrationRange.class, "/$defs/container", StabilityRecord.Container.class));
        BINDINGS.put("substances.schema.json", Map.of("", SubstanceIdentities.Content.class,
                "/$defs/ingredient", SubstanceIdentities.IngredientIdentity.class, "/$defs/class", SubstanceIdentities.IngredientClass.class,
                "/$defs/product", SubstanceIdentities.Product.class, "/$defs/diluent", SubstanceIdentities.DiluentIdentity.class));
    }

    private static JsonNode schema(String name) throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(Path.of("knowledge/schema", name)));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    @Test
    void everyFileKindHasASchemaDescribingTheRecordsItBinds() throws IOException {
        assertThat(BINDINGS.keySet()).containsExactlyInAnyOrderElementsOf(StabilityKnowledgeSchemaTest.SCHEMAS.values());
        for (Map.Entry<String, Map<String, Class<? extends Record>>> file : BINDINGS.entrySet()) {
            JsonNode schema = schema(file.getKey());
            assertThat(schema.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            Set<String> objects = new HashSet<>();
            collectObjects(schema, "", objects);
            assertThat(objects).as(file.getKey() + ": every object a schema describes binds to a record")
                    .isEqualTo(file.getValue().keySet());
            for (Map.Entry<String, Class<? extends Record>> binding : file.getValue().entrySet()) {
                JsonNode object = schema.at(binding.getKey());
                String where = file.getKey() + "#" + binding.getKey();
                Set<String> components = Arrays.stream(binding.getValue().getRecordComponents()).map(RecordComponent::getName)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(new TreeSet<>(object.get("properties").propertyNames())).as(where).isEqualTo(components);
                assertThat(object.path("additionalProperties").isBoolean() && !object.path("additionalProperties").asBoolean())
                        .as(where + " forbids unknown keys").isTrue();
                assertThat(strings(object.path("required"))).as(where + " requires only its own properties").isSubsetOf(components);
            }
        }
    }

    /** JSON pointers of the schema objects that declare properties. */
    private static void collectObjects(JsonNode node, String pointer, Set<String> out) {
        if (node.has("properties")) {
            out.add(pointer);
        }
        node.path("$defs").properties().forEach(e -> collectObjects(e.getValue(), pointer + "/$defs/" + e.getKey(), out));
    }

    @Test
    void theClosedVocabulariesAreTheLoaders() throws IOException {
        JsonNode studies = schema("studies.schema.json");
        assertThat(strings(studies.at("/$defs/study/properties/evidenceType/enum"))).isEqualTo(new TreeSet<>(StabilityKnowledge.EVIDENCE_TYPES));
        assertThat(strings(studies.at("/$defs/container/properties/type/enum"))).isEqualTo(new TreeSet<>(StabilityKnowledge.CONTAINERS));
        assertThat(strings(schema("refill-limits.schema.json").at("/$defs/limit/properties/when/enum")))
                .isEqualTo(new TreeSet<>(StabilityKnowledge.REFILL_WHEN));
        assertThat(strings(schema("substances.schema.json").at("/$defs/diluent/properties/preservative/enum")))
                .isEqualTo(new TreeSet<>(SubstanceIdentities.PRESERVATIVES));
    }

    @Test
    void everyUnitASchemaAllowsIsMassPerMl() throws IOException {
        Set<String> units = strings(schema("studies.schema.json").at("/$defs/unit/enum"));
        assertThat(strings(schema("labeled-products.schema.json").at("/$defs/unit/enum"))).isEqualTo(units);
        assertThat(units).isNotEmpty().allSatisfy(unit -> assertThat(Concentration.toMgPerMl(1, unit)).as(unit).isPresent());
    }

    @Test
    void theIngredientAndRangeDefinitionsAreTheSameWhereverUsed() throws IOException {
        JsonNode labeled = schema("labeled-products.schema.json").get("$defs");
        JsonNode studies = schema("studies.schema.json").get("$defs");
        assertThat(labeled.get("concentrationRange")).isEqualTo(studies.get("concentrationRange"));
        assertThat(labeled.at("/ingredient/required")).isEqualTo(studies.at("/ingredient/required"));
    }
}
