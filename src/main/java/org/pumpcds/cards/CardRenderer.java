package org.pumpcds.cards;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.pumpcds.findings.Finding;
import org.pumpcds.hooks.api.Card;
import org.pumpcds.hooks.api.Coding;
import org.pumpcds.hooks.api.Link;
import org.pumpcds.hooks.api.Source;
import org.pumpcds.terminology.CodeSystems;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns findings into cards. Templates are compiled once at start; a missing template or an unresolved
 * placeholder fails loudly (at start-up or in the lint test), never as a half-rendered card.
 */
public final class CardRenderer {

    /** Summaries must be fewer than 140 characters (CDS Hooks 2.0, Card Attributes). */
    public static final int MAX_SUMMARY = 139;

    private record Compiled(CardTemplate template, Template summary, Template detail, Template sourceLabel) {
    }

    /** A named template source, so a load error names the file. */
    public record TemplateFile(String name, InputStream yaml) {
    }

    private final Map<String, Compiled> templates;

    private CardRenderer(Map<String, Compiled> templates) {
        this.templates = Map.copyOf(templates);
    }

    public static CardRenderer load(List<TemplateFile> sources) {
        ObjectMapper yaml = YAMLMapper.builder().build();
        // Summaries are plain text: no HTML escaping. Detail is markdown: escape HTML so order text cannot inject markup.
        Mustache.Compiler plain = Mustache.compiler().escapeHTML(false).strictSections(true);
        Mustache.Compiler markdown = Mustache.compiler().escapeHTML(true).strictSections(true);
        Map<String, Compiled> compiled = new HashMap<>();
        for (TemplateFile source : sources) {
            String name = source.name().replaceFirst("\\.ya?ml$", "");
            try (InputStream in = source.yaml()) {
                CardTemplate template = yaml.readValue(in, CardTemplate.class);
                if (template.summary() == null || template.source() == null || template.source().label() == null) {
                    throw new IllegalStateException(source.name() + ": summary and source.label are required");
                }
                compiled.put(name, new Compiled(template, plain.compile(template.summary()),
                        markdown.compile(template.detail() == null ? "" : template.detail()),
                        plain.compile(template.source().label())));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(source.name() + ": card template cannot be read: " + e.getMessage(), e);
            }
        }
        return new CardRenderer(compiled);
    }

    public List<String> templateNames() {
        return templates.keySet().stream().sorted().toList();
    }

    public Card render(Finding finding) {
        Compiled compiled = templates.get(finding.template());
        if (compiled == null) {
            throw new IllegalStateException("No card template " + finding.template() + " for rule " + finding.ruleId());
        }
        Map<String, Object> model = model(finding);
        CardTemplate template = compiled.template();
        try {
            String summary = shorten(compiled.summary().execute(model).strip().replaceAll("\\s+", " "));
            String detail = compiled.detail().execute(model).strip();
            Source source = new Source(compiled.sourceLabel().execute(model).strip(),
                    template.source().url(), null,
                    new Coding(CodeSystems.PUMP_CDS, finding.ruleId(), null));
            List<Coding> reasons = template.overrideReasons() == null ? List.of()
                    : template.overrideReasons().stream()
                            .map(r -> new Coding(CodeSystems.PUMP_CDS, r.code(), r.display())).toList();
            List<Link> links = template.links() == null ? List.of()
                    : template.links().stream().map(l -> new Link(l.label(), l.url(), "absolute", null)).toList();
            return new Card(UUID.randomUUID().toString(), summary, detail.isEmpty() ? null : detail,
                    finding.indicator(), source, null, null, reasons, links);
        } catch (MustacheException e) {
            throw new IllegalStateException("Card template " + finding.template() + " cannot render rule "
                    + finding.ruleId() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> model(Finding finding) {
        Map<String, Object> model = new LinkedHashMap<>(finding.facts());
        model.put("ruleId", finding.ruleId());
        model.put("indicator", finding.indicator().code());
        model.put("status", finding.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        model.put("met", finding.status() == Finding.Status.MET);
        model.put("unmet", finding.status() == Finding.Status.UNMET);
        model.put("notDocumented", finding.status() == Finding.Status.NOT_DOCUMENTED);
        model.put("order", finding.orderReference());
        model.put("citation", finding.citation());
        model.put("evidence", new ArrayList<>(finding.evidence()));
        model.put("hasEvidence", !finding.evidence().isEmpty());
        return model;
    }

    /** Keeps a summary under 140 characters, cutting at a word boundary; the detail keeps the full text. */
    static String shorten(String summary) {
        if (summary.length() <= MAX_SUMMARY) {
            return summary;
        }
        String cut = summary.substring(0, MAX_SUMMARY - 1);
        int space = cut.lastIndexOf(' ');
        return (space > MAX_SUMMARY / 2 ? cut.substring(0, space) : cut) + "\u2026";
    }
}
