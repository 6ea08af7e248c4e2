package org.pumpcds.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** knowledge/policies/: every policy the rules apply, validated as it loads. */
public final class PolicyKnowledge {

    private static final Set<String> INDICATORS = Set.of("info", "warning", "critical");

    private final Map<String, Policy> byId;
    private final java.util.Set<String> contraindications;

    private PolicyKnowledge(Map<String, Policy> byId) {
        this.byId = Map.copyOf(byId);
        this.contraindications = byId.values().stream().flatMap(p -> p.criteria().stream())
                .filter(Policy.Criterion::contraindication).map(Policy.Criterion::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public static PolicyKnowledge load(List<KnowledgeFile> files) {
        ObjectMapper yaml = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Map<String, Policy> byId = new LinkedHashMap<>();
        Set<String> ruleIds = new HashSet<>();
        for (KnowledgeFile file : files) {
            Policy policy;
            try (InputStream in = file.content()) {
                policy = yaml.readValue(in, Policy.class);
            } catch (IOException | JacksonException e) {
                throw new IllegalStateException(file.name() + ": cannot be read: " + e.getMessage(), e);
            }
            for (String field : new String[] {policy.id(), policy.label(), policy.sourceFile()}) {
                if (field == null || field.isBlank()) {
                    throw new IllegalStateException(file.name() + ": id, label and sourceFile are required");
                }
            }
            if (policy.criteria().isEmpty()) {
                throw new IllegalStateException(file.name() + ": no criteria");
            }
            for (Policy.Criterion c : policy.criteria()) {
                String where = file.name() + ": " + c.id();
                if (c.id() == null || !c.id().startsWith(policy.id() + ".")) {
                    throw new IllegalStateException(where + ": criterion id must start with " + policy.id() + ".");
                }
                if (!ruleIds.add(c.id())) {
                    throw new IllegalStateException(where + ": duplicate rule id");
                }
                if (c.section() == null || c.needs() == null || c.template() == null) {
                    throw new IllegalStateException(where + ": section, needs and template are required");
                }
                if (c.unmetSummary() != null && (c.unmetSummary().isBlank() || c.unmetSummary().length() > 139
                        || c.unmetSummary().contains("{{"))) {
                    throw new IllegalStateException(where + ": unmetSummary must be plain text under 140 characters");
                }
                if (c.kind() != null && !c.contraindication()) {
                    throw new IllegalStateException(where + ": kind must be contraindication or absent");
                }
                if (!INDICATORS.contains(String.valueOf(c.whenUnmet()))
                        || !INDICATORS.contains(String.valueOf(c.whenNotDocumented()))) {
                    throw new IllegalStateException(where + ": whenUnmet and whenNotDocumented must be one of " + INDICATORS);
                }
            }
            if (byId.put(policy.id(), policy) != null) {
                throw new IllegalStateException(file.name() + ": duplicate policy id " + policy.id());
            }
        }
        return new PolicyKnowledge(byId);
    }

    public Policy policy(String id) {
        Policy policy = byId.get(id);
        if (policy == null) {
            throw new IllegalArgumentException("No policy " + id + " in knowledge/policies");
        }
        return policy;
    }

    /** Whether a rule id names a contraindication (kind: contraindication in its policy file). */
    public boolean isContraindication(String ruleId) {
        return contraindications.contains(ruleId);
    }

    public List<Policy> all() {
        return List.copyOf(byId.values());
    }
}
