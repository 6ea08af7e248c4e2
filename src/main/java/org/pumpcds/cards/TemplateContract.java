package org.pumpcds.cards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed contract between findings and cards, checked at start-up and in the build: every criterion's template
 * exists; a name a template always reads is given by the criterion's check kind (or by the renderer); every name a
 * template reads anywhere is given by some kind that uses it (a misspelt key fails instead of rendering nothing);
 * every frame reads only its {@link FrameFacts}; no finding template is left unused.
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
    private static final Set<String> FRAME = Set.of("policy", "order", "findings");

    /**
     * One criterion's use of a template.
     *
     * @param where     file and criterion, for messages
     * @param template  the template it names
     * @param provided  the facts its check kind may give (and the facts of its episode)
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
            for (String name : variables.required()) {
                if (!RENDERER.contains(name) && !CRITERION.contains(name) && !use.provided().contains(name)) {
                    problems.add(use.where() + ": template " + use.template() + " always reads {{" + name
                            + "}}, which this criterion's check kind does not provide");
                }
            }
            givenTo.computeIfAbsent(use.template(), t -> new HashSet<>()).addAll(use.provided());
            itemsOf.computeIfAbsent(use.template(), t -> new HashMap<>()).putAll(use.listItems());
        }
        renderer.findingVariables().forEach((template, variables) -> {
            if (!givenTo.containsKey(template)) {
                problems.add("cards-templates/" + template + ".yaml: no criterion uses this template");
                return;
            }
            Set<String> known = new HashSet<>(givenTo.get(template));
            known.addAll(RENDERER);
            known.addAll(CRITERION);
            Map<String, Set<String>> items = new HashMap<>(RENDERER_ITEMS);
            items.putAll(itemsOf.get(template));
            unknown(variables, known, items).forEach(name -> problems.add("cards-templates/" + template + ".yaml: {{" + name
                    + "}} is given by no check kind that uses this template (misspelt, or a fact the kind does not declare)"));
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
            unknown(variables, known, RENDERER_ITEMS).forEach(name -> problems.add("cards-templates/frames/" + frame
                    + ".yaml: {{" + name + "}} is not a fact of this frame (" + String.join(", ", facts) + ")"));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Card templates and knowledge disagree:\n  " + String.join("\n  ", problems));
        }
    }

    /** Names read that nothing gives: not known, and not an item key of an enclosing list. */
    private static List<String> unknown(TemplateVariables variables, Set<String> known, Map<String, Set<String>> items) {
        return variables.uses().stream().filter(use -> !known.contains(use.name()) && use.sections().stream()
                .noneMatch(section -> items.getOrDefault(section, Set.of()).contains(use.name())))
                .map(TemplateVariables.Use::name).distinct().toList();
    }
}
