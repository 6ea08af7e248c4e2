package org.pumpcds.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The findings-to-cards contract catches what an analyst or developer gets wrong in a template. */
class TemplateContractTest {

    private static final String FRAME = "sourceLabel: \"{{policy.label}}\"\ndetail: \"{{label}}{{#findings}}{{{text}}}{{/findings}}\"\n";

    private static CardRenderer renderer(String findingYaml, String frameYaml) {
        return CardRenderer.load(FhirContext.forR4Cached(), List.of(file("t.yaml", findingYaml)),
                List.of(file("compounding.yaml", frameYaml)));
    }

    private static CardRenderer.TemplateFile file(String name, String yaml) {
        return new CardRenderer.TemplateFile(name, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static TemplateContract.Use use(String template, String... provided) {
        return new TemplateContract.Use("policies/p.yaml: p.rule", template, Set.of(provided),
                Map.of("studies", Set.of("citation")));
    }

    @Test
    void aTemplateReadingOnlyProvidedFactsPasses() {
        CardRenderer renderer = renderer("summary: \"{{title}} {{drug}}\"\ndetail: \"{{#note}} {{note}}{{/note}}"
                + "{{#studies}}{{citation}}{{/studies}}{{#evidence}}{{summary}}{{/evidence}}\"\n", FRAME);
        assertThatCode(() -> TemplateContract.verify(renderer, List.of(use("t", "drug", "note", "studies")))).doesNotThrowAnyException();
    }

    @Test
    void aMisspeltKeyInASectionFailsNamingTheFileAndKey() {
        CardRenderer renderer = renderer("summary: \"{{title}}\"\ndetail: \"{{#nte}} {{nte}}{{/nte}}\"\n", FRAME);
        assertThatThrownBy(() -> TemplateContract.verify(renderer, List.of(use("t", "note"))))
                .hasMessageContaining("cards-templates/t.yaml: {{#nte}} is a fact no check kind using this template provides");
    }

    @Test
    void aFactTheKindDoesNotProvideFailsNamingTheCriterionEvenInsideAnotherFactsSection() {
        CardRenderer renderer = renderer("summary: \"{{percent}}%\"\ndetail: d\n", FRAME);
        assertThatThrownBy(() -> TemplateContract.verify(renderer, List.of(use("t", "percent"), use("t", "note"))))
                .hasMessageContaining("policies/p.yaml: p.rule: template t reads {{percent}}");
        // {{#note}} is provided, so what it encloses renders and must be provided too; {{^absent}} renders when absent
        CardRenderer sections = renderer("summary: s\ndetail: \"{{#note}}{{percent}}{{/note}}{{^other}}{{lookback}}{{/other}}\"\n", FRAME);
        assertThatThrownBy(() -> TemplateContract.verify(sections, List.of(use("t", "note", "other", "percent"), use("t", "note"))))
                .hasMessageContaining("template t reads {{percent}}").hasMessageContaining("template t reads {{lookback}}");
        // a value inside a section on a fact this kind does not provide is skipped: that section never renders for it
        CardRenderer skipped = renderer("summary: s\ndetail: \"{{#percent}}{{percent}}%{{/percent}}\"\n", FRAME);
        assertThatCode(() -> TemplateContract.verify(skipped, List.of(use("t", "percent"), use("t", "note")))).doesNotThrowAnyException();
    }

    @Test
    void aListItemKeyOutsideItsListFails() {
        CardRenderer renderer = renderer("summary: s\ndetail: \"{{#note}}{{citation}}{{/note}}\"\n", FRAME);
        assertThatThrownBy(() -> TemplateContract.verify(renderer, List.of(use("t", "note", "studies"))))
                .hasMessageContaining("{{citation}}");
    }

    @Test
    void aMissingTemplateAnUnusedTemplateAndAFrameKeyOutsideItsFactsFail() {
        CardRenderer renderer = renderer("summary: s\ndetail: d\n", FRAME);
        assertThatThrownBy(() -> TemplateContract.verify(renderer, List.of(use("other"))))
                .hasMessageContaining("policies/p.yaml: p.rule: template: no cards-templates/other.yaml");
        assertThat(TemplateContract.unused(renderer, List.of(use("other")))).containsExactly("t");
        CardRenderer badFrame = renderer("summary: s\ndetail: d\n", "sourceLabel: x\ndetail: \"{{lable}}\"\n");
        assertThatThrownBy(() -> TemplateContract.verify(badFrame, List.of(use("t"))))
                .hasMessageContaining("cards-templates/frames/compounding.yaml: {{lable}} is not a fact of this frame");
    }
}
