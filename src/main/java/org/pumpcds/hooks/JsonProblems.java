package org.pumpcds.hooks;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What is wrong with request JSON, said without quoting it (it may hold patient data). */
final class JsonProblems {

    private JsonProblems() {
    }

    static String describe(JacksonException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")";
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate")) {
            return "the request body repeats a key in one object" + where + "; each key may appear once";
        }
        return "the request body is not valid JSON" + where;
    }

    /**
     * The request path ({@code context.draftOrders.entry[0].resource...}) of the first number whose value no double
     * can hold ({@link FiniteNumbers}), or "" if there is none.
     */
    static String firstNonFiniteNumber(JsonNode root) {
        String found = find(root, "");
        return found == null ? "" : found;
    }

    private static String find(JsonNode node, String path) {
        if (node.isNumber()) {
            return FiniteNumbers.finite(node.decimalValue()) ? null : path;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String found = find(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
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
