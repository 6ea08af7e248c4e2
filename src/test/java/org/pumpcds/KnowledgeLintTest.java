package org.pumpcds;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.pumpcds.cards.CardGroup;
import org.pumpcds.cards.CardRenderer;
import org.pumpcds.cards.FrameFacts;
import org.pumpcds.cards.TemplateContract;
import org.pumpcds.engine.EngineAssembly;
import org.pumpcds.findings.Finding;
import org.pumpcds.findings.Indicator;
import org.pumpcds.findings.PolicyCitation;
import org.pumpcds.api.Card;
import org.pumpcds.knowledge.LabeledProduct;
import org.pumpcds.knowledge.Policy;
import org.pumpcds.knowledge.PolicyKnowledge;
import org.pumpcds.knowledge.StabilityKnowledge;
import org.pumpcds.knowledge.StabilityRecord;
import org.pumpcds.support.Knowledge;
import org.pumpcds.terminology.CodeSystems;
import org.pumpcds.terminology.ValueSetIndex;

/**
 * Lints the reviewed files themselves: code sets load and cite their source; knowledge records carry their
 * citation; every policy criterion cites an existing source file and a template; every template renders.
 */
class KnowledgeLintTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String SOURCE = CodeSystems.PROJECT_BASE + "/StructureDefinition/source";
    private static final Path POLICIES = Path.of("../shared/policies");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\{?\\s*([#^/]?)([A-Za-z.]+)\\s*}?}}");

    private static List<Path> files(String folder, String glob) throws IOException {
        try (Stream<Path> list = Files.list(Path.of(folder))) {
            return list.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName())).sorted().toList();
        }
    }

    private static StabilityKnowledge stability() {
        return Knowledge.stability();
    }

    private static PolicyKnowledge policies() {
        return Knowledge.policies();
    }

    @Test
    void everyValueSetAndCodeSystemLoadsAndCitesItsSource() throws IOException {
        List<Path> valueSets = files("fhir-profiles", "ValueSet-*.json");
        assertThat(valueSets).isNotEmpty();
        List<ValueSetIndex.Source> sources = new ArrayList<>();
        for (Path file : valueSets) {
            ValueSet valueSet = FHIR.newJsonParser().parseResource(ValueSet.class, Files.readString(file));
            assertSourced(file, valueSet);
            assertThat(file.getFileName().toString()).isEqualTo("ValueSet-" + valueSet.getIdElement().getIdPart() + ".json");
            assertThat(valueSet.getUrl()).endsWith("/ValueSet/" + valueSet.getIdElement().getIdPart());
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
    void everyStabilityRecordHasACitationAndEvidenceTypeAndEveryLabeledPairIsComplete() throws IOException {
        StabilityKnowledge knowledge = stability();
        assertThat(knowledge.studies()).isNotEmpty();
        for (StabilityRecord study : knowledge.studies()) {
            assertThat(study.citation()).as(study.id()).isNotBlank();
            assertThat(study.evidenceType()).as(study.id()).isIn("published", "direct-testing", "fda-label");
            assertThat(study.source()).as(study.id()).isNotBlank();
            assertThat(study.temperatureC()).as(study.id()).isNotNull();
            assertThat(study.durationDays()).as(study.id()).isPositive();
        }
        for (LabeledProduct product : knowledge.labeledProducts()) {
            assertThat(product.product()).as(product.id()).isNotBlank();
            assertThat(product.source()).as(product.id()).isNotBlank();
            assertThat(product.concentrations().isEmpty() && !product.anyConcentrationLabeled()).as(product.id()).isFalse();
            assertThat(product.uses()).as(product.id()).isNotEmpty().allSatisfy(use -> {
                assertThat(knowledge.pump(use.pump())).as(product.id() + " pump " + use.pump()).isPresent();
                assertThat(use.routes()).as(product.id() + " routes").isNotEmpty();
            });
        }
        knowledge.pumps().forEach(p -> assertThat(p.source()).as(p.id()).isNotBlank());
    }

    @Test
    void everyCriterionCitesAnExistingSourceAndTemplate() throws IOException {
        Set<String> templates = new LinkedHashSet<>();
        files("cards-templates", "*.yaml").forEach(f -> templates.add(f.getFileName().toString().replace(".yaml", "")));
        boolean policiesPresent = Files.isDirectory(POLICIES);
        if (!policiesPresent) {
            System.err.println("SKIPPED in KnowledgeLintTest: policy texts not at " + POLICIES.toAbsolutePath()
                    + "; each policy's source file is not checked to exist");
        }
        for (Policy policy : policies().all()) {
            if (policy.sourceFile().endsWith(".txt") && policiesPresent) {
                assertThat(POLICIES.resolve(policy.sourceFile())).as(policy.id() + " source file").exists();
            }
            for (Policy.Criterion criterion : policy.criteria()) {
                assertThat(templates).as(criterion.id() + " template").contains(criterion.template());
                assertThat(criterion.section()).as(criterion.id()).isNotBlank();
            }
        }
    }

    /** A value for every variable a template names (the renderer adds policy, findings and statuses itself). */
    private static Map<String, Object> exampleFacts(String template) {
        Map<String, Object> facts = new HashMap<>();
        Matcher variables = VARIABLE.matcher(template);
        while (variables.find()) {
            String name = variables.group(2).split("\\.")[0];
            if (!Set.of("policy", "findings", "text").contains(name)) {
                facts.putIfAbsent(name, "Example value");
            }
        }
        return facts;
    }

    /** Each frame filled with long example values (a long drug or order name must still give a short summary). */
    private static final Map<String, FrameFacts> EXAMPLE_FRAMES = Map.of(
            "coverage", new FrameFacts.Coverage("Example value", "Example value", true, "Example value", true, 1),
            "compounding", new FrameFacts.Compounding("Example value", "Example value", true, 1),
            "contraindications", new FrameFacts.Contraindications("Example value", 1));

    /** The reviewed templates and policies keep the typed contract the service checks at start-up. */
    @Test
    void everyTemplateReadsOnlyFactsItsCriteriaProvide() throws IOException {
        CardRenderer renderer = renderer();
        TemplateContract.verify(renderer, EngineAssembly.templateUses(policies()));
        assertThat(TemplateContract.unused(renderer, EngineAssembly.templateUses(policies()))).as("templates no criterion uses")
                .isEmpty();
        assertThat(EXAMPLE_FRAMES.keySet()).isEqualTo(FrameFacts.names().keySet());
    }

    private static CardRenderer renderer() throws IOException {
        List<CardRenderer.TemplateFile> findingFiles = new ArrayList<>();
        for (Path file : files("cards-templates", "*.yaml")) {
            findingFiles.add(new CardRenderer.TemplateFile(file.getFileName().toString(), Files.newInputStream(file)));
        }
        List<CardRenderer.TemplateFile> frameFiles = new ArrayList<>();
        for (Path file : files("cards-templates/frames", "*.yaml")) {
            frameFiles.add(new CardRenderer.TemplateFile(file.getFileName().toString(), Files.newInputStream(file)));
        }
        return CardRenderer.load(FHIR, findingFiles, frameFiles);
    }

    @Test
    void everyFindingTemplateRendersForEveryStatusInEveryFrame() throws IOException {
        Map<String, String> sources = new HashMap<>();
        for (Path file : files("cards-templates", "*.yaml")) {
            sources.put(file.getFileName().toString().replace(".yaml", ""), Files.readString(file));
        }
        CardRenderer renderer = renderer();
        PolicyCitation policy = new PolicyCitation("p", "Policy label", "file.txt", "section", null);
        for (String template : renderer.findingTemplates()) {
            Map<String, Object> facts = exampleFacts(sources.get(template));
            for (String frame : renderer.frames()) {
                for (Finding.Status status : Finding.Status.values()) {
                    CardGroup group = new CardGroup("MedicationRequest/1", policy, List.of(
                            new Finding("p.rule", template, Indicator.WARNING, status, "MedicationRequest/1", policy, List.of(), facts)),
                            EXAMPLE_FRAMES.get(frame));
                    Card card = renderer.render(group);
                    // measured before the renderer's safety-net shortening, which would otherwise hide an over-long template
                    assertThat(renderer.summaryBeforeShortening(group)).as(template + " " + status).isNotBlank()
                            .hasSizeLessThan(140).doesNotContain("{{");
                    assertThat(card.detail()).as(template + " " + status).doesNotContain("{{").doesNotContain("}}");
                }
            }
        }
    }
}
