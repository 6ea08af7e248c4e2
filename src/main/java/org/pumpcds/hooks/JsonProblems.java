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
     * can hold, or null. Such a number would turn into infinity, or into zero, in the first calculation made with it.
     */
    static String firstNonFiniteNumber(JsonNode root) {
        // the path is spelt out only when there is something to report: building it for every node of every request
        // cost more than the check itself
        return anyNonFinite(root) ? find(root, "") : null;
    }

    private static boolean anyNonFinite(JsonNode node) {
        if (node.isNumber()) {
            return !finite(node);
        }
        if (node.isContainer()) {
            for (JsonNode child : node.values()) {
                if (anyNonFinite(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Beyond a double's range either way: too large becomes infinity, too small (not zero) becomes zero. */
    private static boolean finite(JsonNode number) {
        double value = number.numberValue().doubleValue();
        boolean underflow = value == 0 && number.isBigDecimal() && number.decimalValue().signum() != 0;
        return Double.isFinite(value) && !underflow;
    }

    private static String find(JsonNode node, String path) {
        if (node.isNumber()) {
            return finite(node) ? null : path;
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
