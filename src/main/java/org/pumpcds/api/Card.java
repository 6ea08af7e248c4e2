package org.pumpcds.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.pumpcds.findings.Indicator;

/**
 * A card (CDS Hooks 2.0 section "Card Attributes"); {@code summary} is under 140 characters. {@code extension}
 * carries {@code org.pumpcds.findings}: each rule's id, status, indicator and evidence, for EHR analytics and tests.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Card(String uuid, String summary, String detail, Indicator indicator, Source source,
        List<Suggestion> suggestions, String selectionBehavior, List<Coding> overrideReasons, List<Link> links,
        Map<String, Object> extension) {
}
