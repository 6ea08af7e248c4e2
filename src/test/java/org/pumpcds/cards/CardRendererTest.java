package org.pumpcds.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.Indicator;
import org.pumpcds.hooks.api.Card;

class CardRendererTest {

    private static CardRenderer renderer(String yaml) {
        return CardRenderer.load(List.of(new CardRenderer.TemplateFile("t.yaml",
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))));
    }

    private static Finding finding(Map<String, Object> facts) {
        return new Finding("rule.x", "t", Indicator.WARNING, Finding.Status.UNMET, "ServiceRequest/1", null, List.of(), facts);
    }

    @Test
    void rendersSummaryDetailSourceAndTopic() {
        Card card = renderer("summary: \"{{name}} unmet\"\ndetail: \"**{{name}}** <b>\"\nsource:\n  label: Policy X\n"
                + "overrideReasons:\n  - code: r1\n    display: Reason one\n").render(finding(Map.of("name", "A & B")));
        assertThat(card.summary()).isEqualTo("A & B unmet");
        assertThat(card.detail()).isEqualTo("**A &amp; B** <b>").as("values are escaped, template markup is not");
        assertThat(card.indicator()).isEqualTo(Indicator.WARNING);
        assertThat(card.source().label()).isEqualTo("Policy X");
        assertThat(card.source().topic().code()).isEqualTo("rule.x");
        assertThat(card.overrideReasons()).singleElement().satisfies(r -> assertThat(r.display()).isEqualTo("Reason one"));
        assertThat(card.uuid()).isNotBlank();
    }

    @Test
    void longSummariesAreCutUnder140AtAWord() {
        String summary = CardRenderer.shorten("word ".repeat(40).strip());
        assertThat(summary).hasSizeLessThan(140).endsWith("\u2026");
        assertThat(CardRenderer.shorten("x".repeat(139))).hasSize(139);
        assertThat(CardRenderer.shorten("x".repeat(140))).hasSize(139);
    }

    @Test
    void anUnresolvedPlaceholderFailsInsteadOfRenderingHalfACard() {
        CardRenderer renderer = renderer("summary: \"{{missing}}\"\nsource:\n  label: L\n");
        assertThatThrownBy(() -> renderer.render(finding(Map.of()))).hasMessageContaining("rule.x");
    }

    @Test
    void aTemplateWithoutSummaryOrSourceFailsAtLoad() {
        assertThatThrownBy(() -> renderer("detail: x\n")).hasMessageContaining("t.yaml");
    }
}
