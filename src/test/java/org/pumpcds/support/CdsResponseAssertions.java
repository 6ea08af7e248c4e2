package org.pumpcds.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks a CDS Hooks response against the rules every response must keep: no {@code null}, {@code ""},
 * {@code []} or {@code {}} anywhere except {@code "cards": []} (checklist G-2); card summaries under 140
 * characters (C-1); required card, source, suggestion, action, link and override-reason fields (C-*, S-*,
 * A-*, L-*, K-1).
 */
public final class CdsResponseAssertions {

    private CdsResponseAssertions() {
    }

    public static void assertValidResponse(JsonNode response) {
        List<String> problems = new ArrayList<>();
        walk(response, "$", problems);
        JsonNode cards = response.get("cards");
        if (cards == null || !cards.isArray()) {
            problems.add("$.cards is missing or not an array");
        } else {
            for (int i = 0; i < cards.size(); i++) {
                card(cards.get(i), "$.cards[" + i + "]", problems);
            }
        }
        assertThat(problems).as("CDS Hooks response problems in %s", response).isEmpty();
    }

    private static void walk(JsonNode node, String path, List<String> problems) {
        if (node.isNull()) {
            problems.add(path + " is null");
        } else if (node.isString() && node.asString().isEmpty()) {
            problems.add(path + " is an empty string");
        } else if (node.isArray()) {
            if (node.isEmpty() && !path.equals("$.cards")) {
                problems.add(path + " is an empty array");
            }
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", problems);
            }
        } else if (node.isObject()) {
            if (node.isEmpty()) {
                problems.add(path + " is an empty object");
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                walk(field.getValue(), path + "." + field.getKey(), problems);
            }
        }
    }

    private static void card(JsonNode card, String path, List<String> problems) {
        String summary = card.path("summary").asString("");
        if (summary.isEmpty() || summary.length() >= 140) {
            problems.add(path + ".summary must be 1-139 characters, has " + summary.length());
        }
        if (!List.of("info", "warning", "critical").contains(card.path("indicator").asString(""))) {
            problems.add(path + ".indicator must be info, warning or critical");
        }
        if (card.path("source").path("label").asString("").isEmpty()) {
            problems.add(path + ".source.label is required");
        }
        if (card.has("suggestions") && !List.of("at-most-one", "any").contains(card.path("selectionBehavior").asString(""))) {
            problems.add(path + ".selectionBehavior is required with suggestions");
        }
        for (JsonNode reason : card.path("overrideReasons")) {
            if (!reason.hasNonNull("code") || !reason.hasNonNull("system") || !reason.hasNonNull("display")) {
                problems.add(path + ".overrideReasons need code, system and display");
            }
        }
        for (JsonNode suggestion : card.path("suggestions")) {
            if (!suggestion.hasNonNull("label")) {
                problems.add(path + ".suggestions need a label");
            }
            for (JsonNode action : suggestion.path("actions")) {
                if (!List.of("create", "update", "delete").contains(action.path("type").asString(""))
                        || !action.hasNonNull("description")) {
                    problems.add(path + " has an action without a valid type and a description");
                }
            }
        }
        for (JsonNode link : card.path("links")) {
            if (!link.hasNonNull("label") || !link.hasNonNull("url")
                    || !List.of("absolute", "smart").contains(link.path("type").asString(""))) {
                problems.add(path + ".links need label, url and type absolute|smart");
            }
        }
    }
}
