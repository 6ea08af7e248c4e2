package org.pumpcds.fhirjson;

import java.util.ArrayList;
import java.util.List;
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
        return resource -> {
            List<JsonNode> concepts = new ArrayList<>(List.of(resource));
            for (String element : elements) {
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode node : concepts) {
                    for (JsonNode one : node.isArray() ? node : List.of(node)) {
                        if (!one.isObject()) {
                            return true;
                        }
                        JsonNode value = one.get(element);
                        if (value != null && !value.isNull()) {
                            next.add(value);
                        }
                    }
                }
                concepts = next;
            }
            for (JsonNode concept : concepts) {
                for (JsonNode one : concept.isArray() ? concept : List.of(concept)) {
                    if (mayHold(one, accepts)) {
                        return true;
                    }
                }
            }
            return false;
        };
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
        return accepts.test(system, code) || accepts.test(system == null ? null : system.trim(), code.trim());
    }
}
