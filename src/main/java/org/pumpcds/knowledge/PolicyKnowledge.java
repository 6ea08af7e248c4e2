package org.pumpcds.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * knowledge/policies/: every policy the rules apply. Each file is checked against knowledge/schema/policy.schema.json
 * (known keys, check kinds and their parameters), then for what a schema cannot see: ids unique and prefixed, every
 * criterion a pathway or {@code always} names defined, every criterion reachable, every value set it names present.
 * A bad file stops the start with the file and field named.
 */
public final class PolicyKnowledge {

    /** Check parameters (and {@code when}/{@code cite} entries) that name a value set (fhir-profiles/ValueSet-<id>.json). */
    public static final Set<String> VALUE_SET_KEYS = Set.of("valueSet", "unspecified", "related", "drugs", "route", "routes",
            "contraindicating", "feverDiagnosis", "antibacterials", "devices", "diagnoses", "drug", "diagnosis",
            "noDiagnosis", "cite");
    /** The elements of a pharmacy policy, checked on the compounding card by kind (not listed in always or pathways). */
    public static final Set<String> PHARMACY_ELEMENT_KINDS = Set.of("stability-documentation", "stability-duration",
            "stability-temperature", "stability-fever", "stability-ingredients", "stability-concentration",
            "stability-salt-form", "stability-pump", "stability-citation", "stability-bud-method");
    /** The label policy's elements of the compounding card, likewise checked by kind. */
    public static final Set<String> LABEL_ELEMENT_KINDS = Set.of("labeled-refill-interval", "safety-communication");

    private final Map<String, Policy> byId;
    private final Map<String, String> files;
    private final Set<String> contraindications;

    private PolicyKnowledge(Map<String, Policy> byId, Map<String, String> files) {
        this.byId = Map.copyOf(byId);
        this.files = Map.copyOf(files);
        this.contraindications = byId.values().stream().flatMap(p -> p.criteria().stream())
                .filter(Policy.Criterion::contraindication).map(Policy.Criterion::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param valueSetExists whether a value set id (e.g. {@code drug-opioid}) is among the loaded code sets
     */
    public static PolicyKnowledge load(List<KnowledgeFile> files, Predicate<String> valueSetExists) {
        ObjectMapper yaml = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        KnowledgeSchema schema = KnowledgeSchema.load("policy.schema.json");
        Map<String, Policy> byId = new LinkedHashMap<>();
        Map<String, String> fileOf = new LinkedHashMap<>();
        Set<String> ruleIds = new HashSet<>();
        for (KnowledgeFile file : files) {
            Policy policy;
            try (InputStream in = file.content()) {
                JsonNode tree = yaml.readTree(in);
                schema.validate(file.name(), tree);
                policy = yaml.treeToValue(tree, Policy.class);
                checkValueSets(file.name(), tree, valueSetExists);
            } catch (IOException | JacksonException e) {
                throw new IllegalStateException(file.name() + ": cannot be read: " + e.getMessage(), e);
            }
            for (int i = 0; i < policy.criteria().size(); i++) {
                Policy.Criterion c = policy.criteria().get(i);
                String where = file.name() + ": $.criteria[" + i + "].id (" + c.id() + ")";
                if (!c.id().startsWith(policy.id() + ".")) {
                    throw new IllegalStateException(where + ": a criterion id must start with " + policy.id() + ".");
                }
                if (!ruleIds.add(c.id())) {
                    throw new IllegalStateException(where + ": duplicate rule id");
                }
            }
            checkReferences(file.name(), policy);
            if (byId.put(policy.id(), policy) != null) {
                throw new IllegalStateException(file.name() + ": $.id: duplicate policy id " + policy.id());
            }
            fileOf.put(policy.id(), file.name());
        }
        List<Policy> labels = byId.values().stream().filter(p -> "label".equals(p.family())).toList();
        if (labels.size() != 1) {
            throw new IllegalStateException("knowledge/policies: exactly one policy must have family: label, found " + labels.size());
        }
        Map<String, String> stateOwners = new LinkedHashMap<>();
        for (Policy policy : byId.values()) {
            for (String state : policy.states()) {
                String previous = stateOwners.put(state.trim().toUpperCase(Locale.ROOT), policy.id());
                if (previous != null) {
                    throw new IllegalStateException(fileOf.get(policy.id()) + ": $.states: " + state + " is already governed by "
                            + previous + " (" + fileOf.get(previous) + ")");
                }
            }
        }
        return new PolicyKnowledge(byId, fileOf);
    }

    /**
     * What a schema cannot see: every criterion named is defined and every criterion is reached (listed, or an
     * element applied by its kind); each family holds only its kinds; an element kind appears once and takes no
     * {@code when}; a pathway without {@code when} (the catch-all) comes last.
     */
    private static void checkReferences(String file, Policy policy) {
        Set<String> listed = new HashSet<>();
        List<String> always = policy.always();
        for (int i = 0; i < always.size(); i++) {
            listed.add(defined(file, policy, always.get(i), "$.always[" + i + "]"));
        }
        for (int p = 0; p < policy.pathways().size(); p++) {
            List<String> criteria = policy.pathways().get(p).criteria();
            for (int i = 0; i < criteria.size(); i++) {
                listed.add(defined(file, policy, criteria.get(i), "$.pathways[" + p + "].criteria[" + i + "]"));
            }
            if (policy.pathways().get(p).when() == null && p < policy.pathways().size() - 1) {
                throw new IllegalStateException(file + ": $.pathways[" + p + "]: a pathway without when matches every episode,"
                        + " so the pathways after it could never apply; put it last");
            }
        }
        Set<String> elementsSeen = new HashSet<>();
        for (int i = 0; i < policy.criteria().size(); i++) {
            Policy.Criterion c = policy.criteria().get(i);
            String where = file + ": $.criteria[" + i + "]";
            boolean element = PHARMACY_ELEMENT_KINDS.contains(c.kind()) || LABEL_ELEMENT_KINDS.contains(c.kind());
            Set<String> allowed = switch (policy.family()) {
                case "pharmacy" -> PHARMACY_ELEMENT_KINDS;
                case "label" -> LABEL_ELEMENT_KINDS;
                default -> Set.of();
            };
            if (element && !allowed.contains(c.kind()) || !element && policy.family().equals("pharmacy")) {
                throw new IllegalStateException(where + ".check.kind: " + c.kind() + " does not belong in a "
                        + policy.family() + " policy (pharmacy policies hold stability-* elements; the label policy "
                        + LABEL_ELEMENT_KINDS + " and payer-style checks; payer policies no elements)");
            }
            if (element && !elementsSeen.add(c.kind())) {
                throw new IllegalStateException(where + ".check.kind: a second " + c.kind() + " criterion; an element is checked once");
            }
            if (element && c.when() != null) {
                throw new IllegalStateException(where + ".when: a " + c.kind() + " element applies to every preparation; it takes no when");
            }
            if (element == listed.contains(c.id())) {
                throw new IllegalStateException(where + " (" + c.id() + "): " + (element
                        ? "a " + c.kind() + " check is applied by its kind on the compounding card; do not list it in always or pathways"
                        : "unreachable: list it in always or in a pathway's criteria"));
            }
        }
        if ("pharmacy".equals(policy.family()) && policy.criterionOfKind("stability-documentation").isEmpty()) {
            throw new IllegalStateException(file + ": $.criteria: a pharmacy policy needs a stability-documentation criterion");
        }
    }

    private static String defined(String file, Policy policy, String id, String field) {
        if (policy.criterion(id).isEmpty()) {
            throw new IllegalStateException(file + ": " + field + ": criterion " + id + " is not defined in criteria");
        }
        return id;
    }

    /** Every value set a check, condition or citation names exists, reported at its JSON path. */
    private static void checkValueSets(String file, JsonNode tree, Predicate<String> exists) {
        List<String> problems = new ArrayList<>();
        walk(tree, "$", null, (path, key, value) -> {
            if (VALUE_SET_KEYS.contains(key) && !exists.test(value)) {
                problems.add(path + ": no value set " + value + " (fhir-profiles/ValueSet-" + value + ".json)");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(file + ":\n  " + String.join("\n  ", problems));
        }
    }

    private interface Visitor {
        void text(String path, String key, String value);
    }

    private static void walk(JsonNode node, String path, String key, Visitor visitor) {
        if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), path + "." + e.getKey(), e.getKey(), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", key, visitor);
            }
        } else if (node.isString() && key != null) {
            visitor.text(path, key, node.asString());
        }
    }

    public Policy policy(String id) {
        Policy policy = byId.get(id);
        if (policy == null) {
            throw new IllegalArgumentException("No policy " + id + " in knowledge/policies");
        }
        return policy;
    }

    /** The file a policy was read from, for messages. */
    public String file(String policyId) {
        return files.get(policyId);
    }

    /** The drug-label policy (family: label), applied whatever the payer. */
    public Policy label() {
        return byId.values().stream().filter(p -> "label".equals(p.family())).findFirst().orElseThrow();
    }

    /** The pharmacy policy governing a state (code or name, any case), if one does. */
    public Optional<Policy> pharmacyPolicyFor(String state) {
        if (state == null) {
            return Optional.empty();
        }
        String wanted = state.trim().toUpperCase(Locale.ROOT);
        return byId.values().stream().filter(p -> p.states().stream().anyMatch(s -> s.trim().toUpperCase(Locale.ROOT).equals(wanted)))
                .findFirst();
    }

    /** Whether a rule id names a contraindication (card: contraindications in its policy file). */
    public boolean isContraindication(String ruleId) {
        return contraindications.contains(ruleId);
    }

    public List<Policy> all() {
        return List.copyOf(byId.values());
    }
}
