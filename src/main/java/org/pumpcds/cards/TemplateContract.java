package org.pumpcds.cards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed contract between findings and cards, checked at start-up and in the build. For each criterion, every
 * name its template reads as a value is a fact its check kind declares (or the renderer's or the criterion's own),
 * unless it sits inside a {@code {{#section}}} on a fact the kind does not declare (skipped, as an absent fact reads
 * as false); a section on a name no kind using the template declares is a misspelling. The interpreters give every
 * declared fact (empty when it does not apply), so a template that passes cannot fail at call time. Frames read only
 * their {@link FrameFacts}.
 */
public final class TemplateContract {

    /** Names the renderer gives every finding template (CardRenderer.model). */
    public static final Set<String> RENDERER = Set.of("statusLabel", "ruleId", "indicator", "status", "met", "unmet",
            "notDocumented", "information", "critical", "order", "policyCitation", "evidence", "hasEvidence");
    /** Names every finding carries from its criterion (Criteria.finding). */
    public static final Set<String> CRITERION = Set.of("title", "needs", "section", "unmetSummary");
    /** Keys of the items of the renderer's lists. */
    private static final Map<String, Set<String>> RENDERER_ITEMS = Map.of("evidence", Set.of("summary", "reference", "url"),
            "findings", Set.of("text"));
    /** Names the renderer gives every frame, beside its FrameFacts. */
    private static final Set<String> FRAME = Set.of("policy", "order", "findings", "anyMet");

    /**
     * One criterion's use of a template.
     *
     * @param where     file and criterion, for messages
     * @param template  the template it names
     * @param provided  the facts its check kind declares (and the facts of its episode)
     * @param listItems keys of the items of the kind's list-valued facts
     */
    public record Use(String where, String template, Set<String> provided, Map<String, Set<String>> listItems) {
    }

    private TemplateContract() {
    }

    public static void verify(CardRenderer renderer, List<Use> uses) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> givenTo = new HashMap<>();
        Map<String, Map<String, Set<String>>> itemsOf = new HashMap<>();
        for (Use use : uses) {
            TemplateVariables variables = renderer.findingVariables().get(use.template());
            if (variables == null) {
                problems.add(use.where() + ": template: no cards-templates/" + use.template() + ".yaml");
                continue;
            }
            Set<String> known = known(use.provided());
            Map<String, Set<String>> items = new HashMap<>(RENDERER_ITEMS);
            items.putAll(use.listItems());
            for (TemplateVariables.Use read : variables.uses()) {
                boolean skipped = read.sections().stream().anyMatch(s -> !s.inverted() && !known.contains(s.name()));
                if (!read.section() && !skipped && !known.contains(read.name()) && !itemOf(read, items)) {
                    problems.add(use.where() + ": template " + use.template() + " reads {{" + read.name()
                            + "}}, which this criterion's check kind does not provide");
                }
            }
            givenTo.computeIfAbsent(use.template(), t -> new HashSet<>()).addAll(use.provided());
            itemsOf.computeIfAbsent(use.template(), t -> new HashMap<>(RENDERER_ITEMS)).putAll(use.listItems());
        }
        givenTo.forEach((template, given) -> {
            Set<String> known = known(given);
            renderer.findingVariables().get(template).uses().stream()
                    .filter(read -> read.section() && !known.contains(read.name()) && !itemOf(read, itemsOf.get(template)))
                    .map(TemplateVariables.Use::name).distinct()
                    .forEach(name -> problems.add("cards-templates/" + template + ".yaml: {{#" + name
                            + "}} is a fact no check kind using this template provides (misspelt?)"));
        });
        Map<String, Set<String>> frameFacts = FrameFacts.names();
        renderer.frameVariables().forEach((frame, variables) -> {
            Set<String> facts = frameFacts.get(frame);
            if (facts == null) {
                problems.add("cards-templates/frames/" + frame + ".yaml: no FrameFacts record fills this frame");
                return;
            }
            Set<String> known = new HashSet<>(facts);
            known.addAll(FRAME);
            variables.uses().stream().filter(read -> !known.contains(read.name()) && !itemOf(read, RENDERER_ITEMS))
                    .map(TemplateVariables.Use::name).distinct()
                    .forEach(name -> problems.add("cards-templates/frames/" + frame + ".yaml: {{" + name
                            + "}} is not a fact of this frame (" + String.join(", ", facts) + ")"));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Card templates and knowledge disagree:\n  " + String.join("\n  ", problems));
        }
    }

    /** Finding templates no criterion uses (a lint for the project's own files; an analyst's folder may leave some out). */
    public static List<String> unused(CardRenderer renderer, List<Use> uses) {
        Set<String> used = new HashSet<>();
        uses.forEach(u -> used.add(u.template()));
        return renderer.findingVariables().keySet().stream().filter(t -> !used.contains(t)).sorted().toList();
    }

    private static Set<String> known(Set<String> provided) {
        Set<String> known = new HashSet<>(provided);
        known.addAll(RENDERER);
        known.addAll(CRITERION);
        return known;
    }

    /** Whether a name is read as a key of the items of an enclosing list. */
    private static boolean itemOf(TemplateVariables.Use read, Map<String, Set<String>> items) {
        return read.sections().stream().anyMatch(s -> items.getOrDefault(s.name(), Set.of()).contains(read.name()));
    }
}
