package org.pumpcds.knowledge;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A published JSON Schema (knowledge/schema/*.schema.json, shipped in the jar) that a kind of knowledge file must
 * satisfy. Editors can use the same file; the service refuses to start on a file that breaks it, naming file and field.
 */
public final class KnowledgeSchema {

    private final String name;
    private final Schema schema;

    private KnowledgeSchema(String name, Schema schema) {
        this.name = name;
        this.schema = schema;
    }

    /** @param name file name under knowledge/schema/, e.g. {@code policy.schema.json} */
    public static KnowledgeSchema load(String name) {
        try (InputStream in = KnowledgeSchema.class.getClassLoader().getResourceAsStream("knowledge/schema/" + name)) {
            if (in == null) {
                throw new IllegalStateException("knowledge/schema/" + name + " is missing from the build");
            }
            return new KnowledgeSchema(name, SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    // "format" (uri) is an assertion here, not a note: a mistyped code system never matches a record
                    registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                    .getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a YAML knowledge file, checks it against this schema and only then binds it, so a bad file is refused
     * naming the file and the field rather than by a binding error.
     */
    public <T> T read(KnowledgeFile file, Class<T> type) {
        ObjectMapper yaml = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        JsonNode tree;
        try (InputStream in = file.content()) {
            tree = yaml.readTree(in);
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException(file.name() + ": cannot be read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new IllegalStateException(file.name() + ": $: the file is empty");
        }
        validate(file.name(), tree);
        try {
            return yaml.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new IllegalStateException(file.name() + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** Throws naming the file and each field that breaks the schema (as a JSON path, e.g. {@code $.criteria[2].check.kind}). */
    public void validate(String file, JsonNode content) {
        List<Error> errors = schema.validate(content);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(file + " does not follow knowledge/schema/" + name + ":\n  "
                    + errors.stream().map(KnowledgeSchema::describe).distinct().collect(Collectors.joining("\n  ")));
        }
    }

    /** One problem as an analyst reads it: the field as a JSON path, what is wrong, and the value found. */
    private static String describe(Error error) {
        StringBuilder path = new StringBuilder("$");
        NodePath location = error.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path.append(element instanceof Integer index ? "[" + index + "]" : "." + element);
        }
        JsonNode found = error.getInstanceNode();
        String message = error.getMessage().replaceFirst("^\\S*: ", "");
        return path + ": " + message + (found != null && found.isValueNode() && !found.isNull() ? " (found: " + found.asString() + ")" : "");
    }
}
