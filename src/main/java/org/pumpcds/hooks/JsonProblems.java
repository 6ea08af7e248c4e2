package org.pumpcds.hooks;

import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;

/** What is wrong with request JSON, said without quoting it (it may hold patient data). */
final class JsonProblems {

    /** A key echoed in a path: the shape of a JSON or FHIR element name; any other key is the client's text, not named. */
    private static final Pattern ELEMENT_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private JsonProblems() {
    }

    /** @param located whether to say the line and column (they are the body's, not those of a part read alone) */
    static String describe(JacksonException e, boolean located) {
        TokenStreamLocation location = located ? e.getLocation() : null;
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate")) {
            return repeatedKey(location);
        }
        return "the request body is not valid JSON" + where(location);
    }

    static String repeatedKey(TokenStreamLocation location) {
        return "the request body repeats a key in one object" + where(location) + "; each key may appear once";
    }

    private static String where(TokenStreamLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * The request path ({@code context.draftOrders.entry[0].resource...}) of the first number whose value no double
     * can hold ({@link FiniteNumbers}), or {@code path} itself if there is none.
     *
     * @param node the value of one top-level field, named {@code path}
     */
    static String firstNonFiniteNumber(JsonNode node, String path) {
        String found = node == null ? null : find(node, path);
        return found == null ? path : found;
    }

    private static String find(JsonNode node, String path) {
        if (node.isNumber()) {
            return FiniteNumbers.finite(node.decimalValue()) ? null : path;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = ELEMENT_NAME.matcher(field.getKey()).matches() ? field.getKey() : "(key)";
                String found = find(field.getValue(), path.isEmpty() ? key : path + "." + key);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = find(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
