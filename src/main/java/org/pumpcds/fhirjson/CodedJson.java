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
     * @param element the CodeableConcept element, e.g. {@code code}
     * @param accepts the rule's test of one coding's system (null when absent) and code; given both the value as sent
     *                and trimmed, since the parser may trim
     */
    public static Predicate<JsonNode> mayHaveCoding(String element, BiPredicate<String, String> accepts) {
        return resource -> {
            JsonNode concept = resource.get(element);
            if (concept == null || concept.isNull()) {
                return false;
            }
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
        };
    }

    private static boolean accepts(BiPredicate<String, String> accepts, String system, String code) {
        return accepts.test(system, code) || accepts.test(system == null ? null : system.trim(), code.trim());
    }
}
