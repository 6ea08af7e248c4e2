package org.pumpcds.fhirjson;

import java.util.function.BiPredicate;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * A cheap test on a resource still in JSON, used to skip parsing what a rule would reject anyway: does a
 * CodeableConcept element perhaps hold a coding the rule accepts? It answers "no" only for the usual shape with no
 * such coding; for any shape it does not recognise it answers "yes", and the rule decides on the parsed resource.
 */
public final class CodedJson {

    private CodedJson() {
    }

    /**
     * @param path    the CodeableConcept element, e.g. {@code code}, or a dotted path through elements and arrays,
     *                e.g. {@code dosageInstruction.route}
     * @param accepts the rule's test of one coding's system (null when absent) and code; given both the value as sent
     *                and trimmed, since the parser may trim
     */
    public static Predicate<JsonNode> mayHaveCoding(String path, BiPredicate<String, String> accepts) {
        String[] elements = path.split("\\.");
        return resource -> mayHaveAlong(resource, elements, 0, accepts);
    }

    /** Whether a node (an object, or an array of them) may hold, down {@code elements[depth..]}, an accepted coding. */
    private static boolean mayHaveAlong(JsonNode node, String[] elements, int depth, BiPredicate<String, String> accepts) {
        if (!node.isArray()) {
            return mayHaveAlongOne(node, elements, depth, accepts);
        }
        for (JsonNode one : node) {
            if (mayHaveAlongOne(one, elements, depth, accepts)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayHaveAlongOne(JsonNode node, String[] elements, int depth, BiPredicate<String, String> accepts) {
        if (depth == elements.length) {
            return mayHold(node, accepts);
        }
        if (!node.isObject()) {
            return true;
        }
        JsonNode value = node.get(elements[depth]);
        return value != null && !value.isNull() && mayHaveAlong(value, elements, depth + 1, accepts);
    }

    /** Whether a code element (such as {@code status}) may hold the code: its string value, trimmed, equals it. */
    public static Predicate<JsonNode> mayEqual(String element, String code) {
        return resource -> {
            JsonNode value = resource.get(element);
            return value != null && !value.isNull() && (!value.isString() || value.asString().trim().equals(code));
        };
    }

    private static boolean mayHold(JsonNode concept, BiPredicate<String, String> accepts) {
        JsonNode codings = concept.get("coding");
        if (!concept.isObject() || codings != null && !codings.isNull() && !codings.isArray()) {
            return true;
        }
        if (codings == null || codings.isNull()) {
            return false;
        }
        for (JsonNode coding : codings) {
            JsonNode system = coding.get("system");
            JsonNode code = coding.get("code");
            if (!coding.isObject() || system != null && !system.isString() && !system.isNull()
                    || code != null && !code.isString() && !code.isNull()) {
                return true;
            }
            if (code != null && code.isString() && accepts(accepts, system == null || system.isNull() ? null : system.asString(), code.asString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepts(BiPredicate<String, String> accepts, String system, String code) {
        if (accepts.test(system, code)) {
            return true;
        }
        String trimmedSystem = system == null ? null : system.trim();
        String trimmedCode = code.trim();
        // trim() answers the same string when there is nothing to trim: then the test would only repeat itself
        return (trimmedSystem != system || trimmedCode != code) && accepts.test(trimmedSystem, trimmedCode);
    }
}
