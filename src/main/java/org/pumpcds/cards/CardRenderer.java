package org.pumpcds.cards;

import ca.uhn.fhir.context.FhirContext;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.pumpcds.findings.Evidence;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.Indicator;
import org.pumpcds.findings.ProposedAction;
import org.pumpcds.api.Action;
import org.pumpcds.api.Card;
import org.pumpcds.api.Coding;
import org.pumpcds.api.Link;
import org.pumpcds.api.Source;
import org.pumpcds.api.Suggestion;
import org.pumpcds.terminology.CodeSystems;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns a group of findings into a card: the frame gives source, header, override reasons and links; each
 * finding's template words it; the most urgent finding gives the indicator and the summary. Templates are
 * compiled once; a missing template or an unresolved placeholder fails loudly, never as a half-rendered card.
 */
public final class CardRenderer {

    /** Summaries must be fewer than 140 characters (CDS Hooks 2.0, Card Attributes). */
    public static final int MAX_SUMMARY = 139;
    public static final String FINDINGS_EXTENSION = "org.pumpcds.findings";
    /** Which kind of card this is (its frame: coverage, compounding, contraindications). */
    public static final String CARD_EXTENSION = "org.pumpcds.card";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** A named template file, so a load error names it. */
    public record TemplateFile(String name, InputStream yaml) {
    }

    /** cards-templates/*.yaml: how one kind of finding reads. */
    record FindingTemplate(String summary, String detail, Map<String, SuggestionText> suggestions) {
    }

    /** How a suggestion reads: the label a clinician clicks and the action's description. */
    record SuggestionText(String label, String description) {
    }

    /** cards-templates/frames/*.yaml: what every card of a policy family carries. */
    record Frame(String sourceLabel, String sourceUrl, String detail, List<Reason> overrideReasons,
            List<FrameLink> links, String evidenceLink, Map<String, String> statusLabels, String allMetSummary) {
    }

    record Reason(String code, String display) {
    }

    record FrameLink(String label, String url) {
    }

    private record CompiledFinding(FindingTemplate text, Template summary, Template detail,
            Map<String, Template[]> suggestions) {
    }

    private record CompiledFrame(Frame frame, Template sourceLabel, Template detail, Template evidenceLink,
            Template allMetSummary) {
    }

    // Variables must resolve (a missing one throws); a section on an absent fact reads as false.
    // An empty string or zero fact reads as false in a section ({{#diluent}} ... {{/diluent}}).
    // A fact whose value is null renders empty; a fact the template names but the rule never set still throws.
    private static final Mustache.Compiler PLAIN = Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true)
            .zeroIsFalse(true).nullValue("");
    // Markdown detail: values from orders and records stay text (MarkdownText).
    private static final Mustache.Compiler MARKDOWN = PLAIN.withEscaper(MarkdownText.ESCAPER);

    private final FhirContext fhir;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Map<String, CompiledFinding> findings;
    private final Map<String, CompiledFrame> frames;

    private CardRenderer(FhirContext fhir, Map<String, CompiledFinding> findings, Map<String, CompiledFrame> frames) {
        this.fhir = fhir;
        this.findings = Map.copyOf(findings);
        this.frames = Map.copyOf(frames);
    }

    public static CardRenderer load(FhirContext fhir, List<TemplateFile> findingFiles, List<TemplateFile> frameFiles) {
        ObjectMapper yaml = YAMLMapper.builder().build();
        Map<String, CompiledFinding> findings = new HashMap<>();
        for (TemplateFile file : findingFiles) {
            FindingTemplate template = read(yaml, file, FindingTemplate.class);
            if (template.summary() == null || template.detail() == null) {
                throw new IllegalStateException(file.name() + ": summary and detail are required");
            }
            Map<String, Template[]> suggestions = new HashMap<>();
            if (template.suggestions() != null) {
                template.suggestions().forEach((key, text) -> suggestions.put(key, new Template[] {
                        PLAIN.compile(text.label()), PLAIN.compile(text.description())}));
            }
            findings.put(name(file), new CompiledFinding(template, PLAIN.compile(template.summary()),
                    MARKDOWN.compile(template.detail()), suggestions));
        }
        Map<String, CompiledFrame> frames = new HashMap<>();
        for (TemplateFile file : frameFiles) {
            Frame frame = read(yaml, file, Frame.class);
            if (frame.sourceLabel() == null || frame.detail() == null) {
                throw new IllegalStateException(file.name() + ": sourceLabel and detail are required");
            }
            frames.put(name(file), new CompiledFrame(frame, PLAIN.compile(frame.sourceLabel()),
                    MARKDOWN.compile(frame.detail()),
                    PLAIN.compile(frame.evidenceLink() == null ? "{{reference}}" : frame.evidenceLink()),
                    frame.allMetSummary() == null ? null : PLAIN.compile(frame.allMetSummary())));
        }
        return new CardRenderer(fhir, findings, frames);
    }

    /** The names each finding template reads (summary, detail and suggestions), for the template contract. */
    public Map<String, TemplateVariables> findingVariables() {
        Map<String, TemplateVariables> variables = new HashMap<>();
        findings.forEach((name, compiled) -> {
            List<String> texts = new ArrayList<>(List.of(compiled.text().summary(), compiled.text().detail()));
            if (compiled.text().suggestions() != null) {
                compiled.text().suggestions().values().forEach(t -> texts.addAll(List.of(t.label(), t.description())));
            }
            variables.put(name, TemplateVariables.of(texts.toArray(String[]::new)));
        });
        return variables;
    }

    /** The names each frame reads, for the template contract. */
    public Map<String, TemplateVariables> frameVariables() {
        Map<String, TemplateVariables> variables = new HashMap<>();
        frames.forEach((name, compiled) -> variables.put(name, TemplateVariables.of(compiled.frame().sourceLabel(),
                compiled.frame().detail(), compiled.frame().allMetSummary())));
        return variables;
    }

    public List<String> findingTemplates() {
        return findings.keySet().stream().sorted().toList();
    }

    public List<String> frames() {
        return frames.keySet().stream().sorted().toList();
    }

    public Card render(CardGroup group) {
        CompiledFrame frame = frames.get(group.frame());
        if (frame == null || group.findings().isEmpty()) {
            throw new IllegalStateException("No frame " + group.frame() + " or no findings for " + group.orderReference());
        }
        try {
            Finding headline = group.findings().stream().min(URGENCY).orElseThrow();
            List<Map<String, Object>> rendered = new ArrayList<>();
            List<Suggestion> suggestions = new ArrayList<>();
            for (Finding finding : group.findings()) {
                CompiledFinding template = template(finding);
                Map<String, Object> model = model(finding, frame.frame());
                Map<String, Object> line = new LinkedHashMap<>(model);
                line.put("text", template.detail().execute(model).strip());
                rendered.add(line);
                for (ProposedAction action : finding.actions()) {
                    suggestions.add(suggestion(finding, template, model, action));
                }
            }
            Map<String, Object> frameModel = frameModel(group);
            frameModel.put("findings", rendered);
            String summary = shorten(fullSummary(frame, frameModel, headline));
            Source source = new Source(frame.sourceLabel().execute(frameModel).strip(),
                    frame.frame().sourceUrl() != null ? frame.frame().sourceUrl() : group.policy().url(), null,
                    new Coding(CodeSystems.PUMP_CDS, group.policy().policyId(), group.policy().label()));
            // an info card asks for no action, so there is nothing to override
            List<Coding> reasons = frame.frame().overrideReasons() == null || headline.indicator() == Indicator.INFO ? List.of()
                    : frame.frame().overrideReasons().stream()
                            .map(r -> new Coding(CodeSystems.PUMP_CDS, r.code(), r.display())).toList();
            return new Card(CardIds.next(), summary, frame.detail().execute(frameModel).strip(),
                    headline.indicator(), source, suggestions, suggestions.isEmpty() ? null : "at-most-one", reasons,
                    links(frame, group), Map.of(FINDINGS_EXTENSION, extension(group), CARD_EXTENSION, group.frame()));
        } catch (MustacheException e) {
            throw new IllegalStateException("Card for " + group.frame() + " cannot render: " + e.getMessage(), e);
        }
    }

    /**
     * The summary as the templates word it, before {@link #shorten}: the lint holds every template to the 140
     * characters CDS Hooks allows here, so shortening is a safety net for long drug names, not the norm.
     */
    public String summaryBeforeShortening(CardGroup group) {
        CompiledFrame frame = frames.get(group.frame());
        Finding headline = group.findings().stream().min(URGENCY).orElseThrow();
        return fullSummary(frame, frameModel(group), headline);
    }

    /** What a frame's templates read: its facts, the policy, the order, and whether any criterion on it was met. */
    private static Map<String, Object> frameModel(CardGroup group) {
        Map<String, Object> frameModel = new LinkedHashMap<>(group.facts().values());
        frameModel.put("policy", group.policy());
        frameModel.put("order", group.orderReference());
        // a card of notes only checked nothing: its headline must not read as if criteria had passed
        frameModel.put("anyMet", group.findings().stream().anyMatch(f -> f.status() == Finding.Status.MET));
        return frameModel;
    }

    /**
     * The headline: the most urgent finding's summary; when nothing on the card is above info (no action asked), the
     * frame's summary for that case, so a routine note never heads a card.
     */
    private String fullSummary(CompiledFrame frame, Map<String, Object> frameModel, Finding headline) {
        String text = headline.indicator() == Indicator.INFO && frame.allMetSummary() != null
                ? frame.allMetSummary().execute(frameModel)
                : template(headline).summary().execute(model(headline, frame.frame()));
        return WHITESPACE.matcher(text.strip()).replaceAll(" ");
    }

    /** Most urgent first: indicator, then unmet/not documented before met/information, then rule order. */
    private static final Comparator<Finding> URGENCY = Comparator
            .comparing((Finding f) -> -f.indicator().ordinal())
            .thenComparing(f -> f.status() == Finding.Status.UNMET ? 0 : f.status() == Finding.Status.NOT_DOCUMENTED ? 1 : 2);

    private CompiledFinding template(Finding finding) {
        CompiledFinding template = findings.get(finding.template());
        if (template == null) {
            throw new IllegalStateException("No card template " + finding.template() + " for rule " + finding.ruleId());
        }
        return template;
    }

    private Suggestion suggestion(Finding finding, CompiledFinding template, Map<String, Object> model, ProposedAction action) {
        Template[] text = template.suggestions().get(action.key());
        if (text == null) {
            throw new IllegalStateException("Template " + finding.template() + " has no suggestion " + action.key());
        }
        String resource = fhir.newJsonParser().encodeResourceToString(action.resource());
        return new Suggestion(text[0].execute(model).strip(), CardIds.next(), null,
                List.of(new Action(action.type(), text[1].execute(model).strip(), json.readTree(resource), null)));
    }

    private List<Link> links(CompiledFrame frame, CardGroup group) {
        List<Link> links = new ArrayList<>();
        if (frame.frame().links() != null) {
            frame.frame().links().forEach(l -> links.add(new Link(l.label(), l.url(), "absolute", null)));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Finding finding : group.findings()) {
            for (Evidence evidence : finding.evidence()) {
                if (evidence.url() != null && seen.add(evidence.url())) {
                    Map<String, Object> model = new HashMap<>();
                    model.put("reference", evidence.reference() == null ? "" : evidence.reference());
                    model.put("summary", evidence.summary());
                    links.add(new Link(shorten(frame.evidenceLink().execute(model).strip()), evidence.url(), "absolute", null));
                }
            }
        }
        return links;
    }

    private static List<Map<String, Object>> extension(CardGroup group) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding finding : group.findings()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("ruleId", finding.ruleId());
            item.put("status", status(finding));
            item.put("indicator", finding.indicator().code());
            item.put("order", finding.orderReference());
            if (finding.citation() != null) {
                item.put("policy", finding.citation().policyId());
            }
            List<Map<String, String>> evidence = new ArrayList<>();
            for (Evidence e : finding.evidence()) {
                Map<String, String> entry = new LinkedHashMap<>();
                if (e.reference() != null) {
                    entry.put("reference", e.reference());
                }
                entry.put("summary", e.summary());
                evidence.add(entry);
            }
            if (!evidence.isEmpty()) {
                item.put("evidence", evidence);
            }
            out.add(item);
        }
        return out;
    }

    private static String status(Finding finding) {
        return finding.status().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Map<String, Object> model(Finding finding, Frame frame) {
        Map<String, Object> model = new LinkedHashMap<>(finding.facts());
        String status = status(finding);
        model.put("statusLabel", frame.statusLabels() == null ? status : frame.statusLabels().getOrDefault(status, status));
        model.put("ruleId", finding.ruleId());
        model.put("indicator", finding.indicator().code());
        model.put("status", status(finding));
        model.put("met", finding.status() == Finding.Status.MET);
        model.put("unmet", finding.status() == Finding.Status.UNMET);
        model.put("notDocumented", finding.status() == Finding.Status.NOT_DOCUMENTED);
        model.put("information", finding.status() == Finding.Status.INFORMATION);
        model.put("critical", finding.indicator() == Indicator.CRITICAL);
        model.put("order", finding.orderReference());
        model.put("policyCitation", finding.citation());
        model.put("evidence", finding.evidence());
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

    private static <T> T read(ObjectMapper yaml, TemplateFile file, Class<T> type) {
        try (InputStream in = file.yaml()) {
            return yaml.readValue(in, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(file.name() + ": card template cannot be read: " + e.getMessage(), e);
        }
    }

    private static String name(TemplateFile file) {
        String name = file.name().replace('\\', '/');
        return name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.ya?ml$", "");
    }
}
