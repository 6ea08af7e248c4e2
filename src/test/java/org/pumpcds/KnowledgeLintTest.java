package org.pumpcds;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.findings.Finding;
import org.pumpcds.orders.OrderKind;
import org.pumpcds.orders.OrderRecognition;
import org.pumpcds.orders.PumpOrder;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;

/** Lints the reviewed files themselves: code sets load and cite their source; every card template renders. */
class KnowledgeLintTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String SOURCE = CodeSystems.PROJECT_BASE + "/StructureDefinition/source";

    private static List<Path> files(String folder, String glob) throws IOException {
        try (Stream<Path> list = Files.list(Path.of(folder))) {
            return list.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName())).sorted().toList();
        }
    }

    @Test
    void everyValueSetAndCodeSystemLoadsAndCitesItsSource() throws IOException {
        List<Path> valueSets = files("fhir-profiles", "ValueSet-*.json");
        assertThat(valueSets).isNotEmpty();
        List<ValueSetIndex.Source> sources = new ArrayList<>();
        for (Path file : valueSets) {
            ValueSet valueSet = FHIR.newJsonParser().parseResource(ValueSet.class, Files.readString(file));
            assertSourced(file, valueSet);
            assertThat(valueSet.getUrl()).as(file + " url").endsWith("/ValueSet/" + valueSet.getIdElement().getIdPart());
            assertThat(file.getFileName().toString()).isEqualTo("ValueSet-" + valueSet.getIdElement().getIdPart() + ".json");
            sources.add(new ValueSetIndex.Source(file.toString(), Files.newInputStream(file)));
        }
        assertThat(ValueSetIndex.load(FHIR, sources).urls()).hasSize(valueSets.size());
        for (Path file : files("fhir-profiles", "CodeSystem-*.json")) {
            CodeSystem codeSystem = FHIR.newJsonParser().parseResource(CodeSystem.class, Files.readString(file));
            assertSourced(file, codeSystem);
            codeSystem.getConcept().forEach(c -> assertThat(c.getDefinition()).as(file + " " + c.getCode()).isNotBlank());
        }
    }

    private static void assertSourced(Path file, DomainResource resource) {
        assertThat(resource.getExtensionByUrl(SOURCE)).as(file + " needs a source extension").isNotNull();
        assertThat(resource.getExtensionByUrl(SOURCE).getValue().primitiveValue()).as(file + " source").isNotBlank();
    }

    @Test
    void everyCardTemplateRendersForEveryFindingThatUsesIt() throws IOException {
        List<CardRenderer.TemplateFile> templates = new ArrayList<>();
        for (Path file : files("cards-templates", "*.yaml")) {
            InputStream in = Files.newInputStream(file);
            templates.add(new CardRenderer.TemplateFile(file.getFileName().toString(), in));
        }
        CardRenderer renderer = CardRenderer.load(templates);
        List<Finding> examples = new ArrayList<>();
        for (OrderKind kind : OrderKind.values()) {
            examples.add(OrderRecognition.of(new PumpOrder("ServiceRequest/1", kind, null, null, "Example order", false)));
        }
        assertThat(examples.stream().map(Finding::template).distinct()).containsExactlyInAnyOrderElementsOf(renderer.templateNames());
        for (Finding finding : examples) {
            var card = renderer.render(finding);
            assertThat(card.summary()).hasSizeLessThan(140).doesNotContain("{{");
            assertThat(card.detail()).doesNotContain("{{").doesNotContain("}}");
        }
    }
}
