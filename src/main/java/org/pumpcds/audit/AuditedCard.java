package org.pumpcds.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pumpcds.api.Card;
import org.pumpcds.api.Suggestion;
import org.pumpcds.cards.CardRenderer;

/** One card as the audit keeps it: who was shown it (service, hook, call), what it said (rules), never content. */
public record AuditedCard(String cardUuid, String serviceId, String hook, String hookInstance, String indicator,
        String policy, Instant shownAt, String patientKey, List<Rule> rules, List<SuggestionShown> suggestions) {

    /** A rule the card carried: its id, status (met, unmet, not-documented, information) and indicator. */
    public record Rule(String ruleId, String status, String indicator) {
    }

    /** A suggestion offered on the card, so an accepted one can be named. */
    public record SuggestionShown(String uuid, String label) {
    }

    /** Reads a returned card's uuid, indicator, policy, rules (its findings extension) and suggestions. */
    public static AuditedCard of(Card card, String serviceId, String hook, String hookInstance, String patientKey,
            Instant shownAt) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        if (card.extension() != null && card.extension().get(CardRenderer.FINDINGS_EXTENSION) instanceof List<?> findings) {
            for (Object finding : findings) {
                if (finding instanceof Map<?, ?> item && item.get("ruleId") instanceof String ruleId) {
                    // a rule met on one order and unmet on another of the same card is counted once, as first listed
                    rules.putIfAbsent(ruleId, new Rule(ruleId, String.valueOf(item.get("status")),
                            String.valueOf(item.get("indicator"))));
                }
            }
        }
        List<SuggestionShown> suggestions = new ArrayList<>();
        for (Suggestion suggestion : card.suggestions() == null ? List.<Suggestion>of() : card.suggestions()) {
            if (suggestion.uuid() != null) {
                suggestions.add(new SuggestionShown(suggestion.uuid(), suggestion.label()));
            }
        }
        String policy = card.source() == null || card.source().topic() == null ? null : card.source().topic().code();
        return new AuditedCard(card.uuid(), serviceId, hook, hookInstance, card.indicator().code(), policy, shownAt,
                patientKey, List.copyOf(rules.values()), List.copyOf(suggestions));
    }
}
