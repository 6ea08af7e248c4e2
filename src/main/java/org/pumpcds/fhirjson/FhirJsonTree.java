package org.pumpcds.fhirjson;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeArray;
import ca.uhn.fhir.parser.json.BaseJsonLikeObject;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;
import ca.uhn.fhir.parser.json.BaseJsonLikeWriter;
import ca.uhn.fhir.parser.json.JsonLikeStructure;
import java.io.Reader;
import java.io.Writer;
import java.util.Iterator;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import tools.jackson.databind.JsonNode;

/**
 * HAPI's JSON parser reading a Jackson tree in place of text. Values are presented as HAPI's own reader presents
 * them (a decimal as its plain digits, other scalars as their text), so a resource parses exactly as it would from
 * its JSON text.
 */
public final class FhirJsonTree implements JsonLikeStructure {

    private final JsonNode root;

    private FhirJsonTree(JsonNode root) {
        this.root = root;
    }

    /**
     * Parses one resource exactly as HAPI parses its JSON text, leniently and silently (parser messages can quote
     * values, which may be patient data). A Bundle is parsed from its text: HAPI's tree entry point gives Bundle
     * entries other ids than its text entry point does.
     *
     * @throws RuntimeException when the JSON is not a FHIR R4 resource; HAPI throws DataFormatException for most
     *                          shapes and bare runtime exceptions for some, so callers catch RuntimeException
     */
    public static Resource parse(FhirContext fhir, JsonNode resource) {
        JsonParser parser = (JsonParser) fhir.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        if ("Bundle".equals(resource.path("resourceType").asString(""))) {
            return (Resource) parser.parseResource(resource.toString());
        }
        return (Resource) parser.doParseResource(null, new FhirJsonTree(resource));
    }

    /**
     * The resource of one Bundle entry, with the id it gets when the whole Bundle is parsed (HAPI's default: the
     * entry's fullUrl gives a resource without an id its id, replaces an id that a {@code urn:} fullUrl ends with,
     * and adds the base of a fullUrl naming the same id). References to other entries are not linked, so callers
     * parse a whole Bundle when its entries may refer to each other.
     */
    public static Resource parseEntry(FhirContext fhir, JsonNode entry) {
        Resource resource = parse(fhir, entry.get("resource"));
        JsonNode fullUrlNode = entry.get("fullUrl");
        String fullUrl = fullUrlNode != null && fullUrlNode.isString() ? fullUrlNode.asString() : null;
        if (fullUrl == null || fullUrl.isBlank()) {
            return resource;
        }
        IdType id = resource.getIdElement();
        String idPart = id.getIdPart();
        if (id.getValue() == null || id.getValue().isBlank()) {
            resource.setId(fullUrl);
        } else if (idPart != null && fullUrl.startsWith("urn:") && fullUrl.length() > idPart.length()
                && fullUrl.charAt(fullUrl.length() - idPart.length() - 1) == ':' && fullUrl.endsWith(idPart)) {
            resource.setId(fullUrl);
        } else {
            IdType named = new IdType(fullUrl);
            if (java.util.Objects.equals(named.getIdPart(), idPart) && named.hasBaseUrl()) {
                resource.setId(id.withServerBase(named.getBaseUrl(), id.getResourceType()).getValue());
            }
        }
        return resource;
    }

    @Override
    public BaseJsonLikeObject getRootObject() {
        if (!root.isObject()) {
            throw new ca.uhn.fhir.parser.DataFormatException("a FHIR resource is a JSON object");
        }
        return new TreeObject(root);
    }

    @Override
    public JsonLikeStructure getInstance() {
        throw new UnsupportedOperationException("a tree is parsed once, as given");
    }

    @Override
    public void load(Reader reader) {
        throw new UnsupportedOperationException("the tree is already read");
    }

    @Override
    public void load(Reader reader, boolean allowArray) {
        throw new UnsupportedOperationException("the tree is already read");
    }

    @Override
    public BaseJsonLikeWriter getJsonLikeWriter() {
        throw new UnsupportedOperationException("read only");
    }

    @Override
    public BaseJsonLikeWriter getJsonLikeWriter(Writer writer) {
        throw new UnsupportedOperationException("read only");
    }

    private static BaseJsonLikeValue wrap(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            return new TreeObject(node);
        }
        if (node.isArray()) {
            return new TreeArray(node);
        }
        return new TreeScalar(node);
    }

    /**
     * HAPI walks an object's keys and asks for each key's value, then for the {@code _key} that would carry its
     * extensions: the value is taken from the entry the walk is on, and an object without {@code _} keys answers
     * those at once, so neither costs a lookup.
     */
    private static final class TreeObject extends BaseJsonLikeObject {
        private final JsonNode node;
        private Map.Entry<String, JsonNode> current;
        private Boolean hasUnderscoreKeys;

        TreeObject(JsonNode node) {
            this.node = node;
        }

        @Override
        public Object getValue() {
            return null;
        }

        @Override
        public Iterator<String> keyIterator() {
            Iterator<Map.Entry<String, JsonNode>> entries = node.properties().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public String next() {
                    current = entries.next();
                    return current.getKey();
                }
            };
        }

        @Override
        public BaseJsonLikeValue get(String key) {
            if (current != null && current.getKey().equals(key)) {
                return wrap(current.getValue());
            }
            if (!key.isEmpty() && key.charAt(0) == '_' && !hasUnderscoreKeys()) {
                return null;
            }
            return wrap(node.get(key));
        }

        private boolean hasUnderscoreKeys() {
            if (hasUnderscoreKeys == null) {
                hasUnderscoreKeys = false;
                for (String key : node.propertyNames()) {
                    if (!key.isEmpty() && key.charAt(0) == '_') {
                        hasUnderscoreKeys = true;
                        break;
                    }
                }
            }
            return hasUnderscoreKeys;
        }
    }

    private static final class TreeArray extends BaseJsonLikeArray {
        private final JsonNode node;

        TreeArray(JsonNode node) {
            this.node = node;
        }

        @Override
        public Object getValue() {
            return null;
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public BaseJsonLikeValue get(int index) {
            return wrap(node.get(index));
        }
    }

    private static final class TreeScalar extends BaseJsonLikeValue {
        private final JsonNode node;

        TreeScalar(JsonNode node) {
            this.node = node;
        }

        @Override
        public ValueType getJsonType() {
            return node.isNull() || node.isMissingNode() ? ValueType.NULL : ValueType.SCALAR;
        }

        @Override
        public ScalarType getDataType() {
            if (node.isNumber()) {
                return ScalarType.NUMBER;
            }
            if (node.isString()) {
                return ScalarType.STRING;
            }
            return node.isBoolean() ? ScalarType.BOOLEAN : null;
        }

        @Override
        public Object getValue() {
            if (node.isNumber()) {
                return node.numberValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            return node.asString();
        }

        @Override
        public String getAsString() {
            if (node.isBigDecimal()) {
                return node.decimalValue().toPlainString(); // "1E+3" reads as 1000, as HAPI's own reader gives it
            }
            return node.asString();
        }

        @Override
        public Number getAsNumber() {
            return node.isNumber() ? node.numberValue() : null;
        }

        @Override
        public boolean getAsBoolean() {
            return node.isBoolean() ? node.booleanValue() : super.getAsBoolean();
        }
    }
}
