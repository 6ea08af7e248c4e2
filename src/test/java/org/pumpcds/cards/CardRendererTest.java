package org.pumpcds.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.junit.jupiter.api.Test;
import org.pumpcds.findings.Evidence;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.Indicator;
import org.pumpcds.findings.PolicyCitation;
import org.pumpcds.findings.ProposedAction;
import org.pumpcds.api.Card;

class CardRendererTest {

    private static final PolicyCitation POLICY = new PolicyCitation("policy-x", "Policy X", "file.txt", null, null);
    private static final String FRAME = "sourceLabel: \"{{policy.label}}\"\nstatusLabels: {unmet: \"Not met\", met: \"Met\"}\n"
            + "detail: |\n  Header for {{label}}\n  {{#findings}}\n  {{{text}}}\n  {{/findings}}\n"
            + "overrideReasons:\n  - {code: r1, display: Reason one}\n";

    private static CardRenderer renderer(String findingYaml) {
        return CardRenderer.load(FhirContext.forR4Cached(), List.of(file("t.yaml", findingYaml)), List.of(file("compounding.yaml", FRAME)));
    }

    private static CardRenderer.TemplateFile file(String name, String yaml) {
        return new CardRenderer.TemplateFile(name, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Finding finding(String rule, Indicator indicator, Finding.Status status, Map<String, Object> facts) {
        return new Finding(rule, "t", indicator, status, "MedicationRequest/1", POLICY,
                List.of(new Evidence("study-1", "a study", "https://pubmed.ncbi.nlm.nih.gov/1/")), facts);
    }

    @Test
    void theMostUrgentFindingGivesSummaryAndIndicatorAndEveryFindingIsListed() {
        CardRenderer renderer = renderer("summary: \"{{name}} {{statusLabel}}\"\ndetail: \"- **{{statusLabel}}** {{name}}\"\n");
        Card card = renderer.render(new CardGroup("MedicationRequest/1", POLICY, List.of(
                finding("r.met", Indicator.INFO, Finding.Status.MET, Map.of("name", "A & B")),
                finding("r.unmet", Indicator.WARNING, Finding.Status.UNMET, Map.of("name", "C"))), new FrameFacts.Compounding("Drug", "", false, 0)));
        assertThat(card.summary()).isEqualTo("C Not met");
        assertThat(card.indicator()).isEqualTo(Indicator.WARNING);
        assertThat(card.detail()).isEqualTo("Header for Drug\n- **Met** A &amp; B\n- **Not met** C");
        assertThat(card.source().label()).isEqualTo("Policy X");
        assertThat(card.source().topic().code()).isEqualTo("policy-x");
        assertThat(card.overrideReasons()).singleElement().satisfies(r -> assertThat(r.display()).isEqualTo("Reason one"));
        assertThat(card.links()).singleElement().satisfies(l -> assertThat(l.url()).isEqualTo("https://pubmed.ncbi.nlm.nih.gov/1/"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> findings = (List<Map<String, Object>>) card.extension().get(CardRenderer.FINDINGS_EXTENSION);
        assertThat(findings).extracting(f -> f.get("ruleId") + "=" + f.get("status")).containsExactly("r.met=met", "r.unmet=unmet");
    }

    @Test
    void proposedActionsBecomeSuggestionsWithTheTemplatesWording() {
        CardRenderer renderer = renderer("summary: s\ndetail: d\nsuggestions:\n  fix:\n    label: \"Fix {{name}}\"\n    description: \"Does it\"\n");
        MedicationRequest request = new MedicationRequest();
        request.setId("MedicationRequest/1");
        Finding finding = new Finding("r", "t", Indicator.WARNING, Finding.Status.UNMET, "MedicationRequest/1", POLICY, List.of(),
                Map.of("name", "it"), List.of(new ProposedAction("fix", "update", request)));
        Card card = renderer.render(new CardGroup("MedicationRequest/1", POLICY, List.of(finding), new FrameFacts.Compounding("x", "", false, 0)));
        assertThat(card.selectionBehavior()).isEqualTo("at-most-one");
        assertThat(card.suggestions()).singleElement().satisfies(s -> {
            assertThat(s.label()).isEqualTo("Fix it");
            assertThat(s.actions().get(0).type()).isEqualTo("update");
            assertThat(s.actions().get(0).resource().path("resourceType").asString()).isEqualTo("MedicationRequest");
        });
    }

    @Test
    void longSummariesAreCutUnder140AtAWord() {
        assertThat(CardRenderer.shorten("word ".repeat(40).strip())).hasSizeLessThan(140).endsWith("\u2026");
        assertThat(CardRenderer.shorten("x".repeat(139))).hasSize(139);
        assertThat(CardRenderer.shorten("x".repeat(140))).hasSize(139);
    }

    @Test
    void anUnresolvedPlaceholderFailsInsteadOfRenderingHalfACard() {
        CardRenderer renderer = renderer("summary: \"{{missing}}\"\ndetail: d\n");
        assertThatThrownBy(() -> renderer.render(new CardGroup("o", POLICY,
                List.of(finding("r", Indicator.INFO, Finding.Status.MET, Map.of())), new FrameFacts.Compounding("x", "", false, 0))))
                .hasMessageContaining("missing");
    }

    @Test
    void aTemplateWithoutSummaryFailsAtLoad() {
        assertThatThrownBy(() -> renderer("detail: x\n")).hasMessageContaining("t.yaml");
    }
}
