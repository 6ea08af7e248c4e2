package org.pumpcds.hooks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.pumpcds.findings.Indicator;

/** A card (CDS Hooks 2.0 section "Card Attributes"); {@code summary} is under 140 characters. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Card(String uuid, String summary, String detail, Indicator indicator, Source source,
        List<Suggestion> suggestions, String selectionBehavior, List<Coding> overrideReasons, List<Link> links) {
}
