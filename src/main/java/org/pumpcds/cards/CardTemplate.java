package org.pumpcds.cards;

import java.util.List;

/**
 * One file of {@code cards-templates/}, as read from YAML.
 *
 * @param summary         Mustache; plain text, one sentence (rendered summaries are kept under 140 characters)
 * @param detail          Mustache; GitHub-flavoured markdown
 * @param source          card source; label and url may use Mustache, topic is set from the finding's rule id
 * @param overrideReasons coded reasons a clinician may give for not following the card
 * @param links           external references (absolute links)
 */
public record CardTemplate(String summary, String detail, TemplateSource source, List<Reason> overrideReasons,
        List<TemplateLink> links) {

    public record TemplateSource(String label, String url) {
    }

    public record Reason(String code, String display) {
    }

    public record TemplateLink(String label, String url) {
    }
}
