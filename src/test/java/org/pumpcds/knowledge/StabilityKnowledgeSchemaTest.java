package org.pumpcds.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.KnowledgeFolder;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * knowledge/stability/ against knowledge/schema/: every current file follows its schema, and mistakes an analyst can
 * make in each kind of file are refused with the file and the field (a JSON path) named, by the schema or by the
 * checks a schema cannot make (unique ids, references between files).
 */
class StabilityKnowledgeSchemaTest {

    static final Map<String, String> SCHEMAS = Map.of("pumps.yaml", "pumps.schema.json",
            "labeled-products.yaml", "labeled-products.schema.json", "refill-limits.yaml", "refill-limits.schema.json",
            "studies.yaml", "studies.schema.json", "substances.yaml", "substances.schema.json");

    /** The start's message after one edit of one file in a copy of the knowledge folder. */
    private static String loadEdited(String file, UnaryOperator<String> edit) throws IOException {
        Path folder = KnowledgeFolder.copy().resolve("stability");
        Path edited = folder.resolve(file);
        String original = Files.readString(edited);
        String changed = edit.apply(original);
        if (changed.equals(original)) {
            throw new IllegalStateException("the edit does not apply to " + file);
        }
        Files.writeString(edited, changed);
        Throwable failure = catchThrowable(() -> load(folder));
        assertThat(failure).as("the edited " + file + " must be refused").isInstanceOf(IllegalStateException.class);
        assertThat(failure.getMessage()).as("names the file").startsWith(edited.toString());
        return failure.getMessage();
    }

    private static StabilityKnowledge load(Path folder) {
        List<KnowledgeFile> files = new ArrayList<>();
        for (String name : StabilityKnowledge.FILES) {
            try {
                files.add(new KnowledgeFile(folder.resolve(name).toString(), Files.newInputStream(folder.resolve(name))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return StabilityKnowledge.load(files);
    }

    @Test
    void everyCurrentFileFollowsItsSchemaAndLoads() throws IOException {
        assertThat(SCHEMAS.keySet()).containsExactlyInAnyOrderElementsOf(StabilityKnowledge.FILES);
        for (String file : StabilityKnowledge.FILES) {
            Path path = Path.of("knowledge/stability", file);
            KnowledgeSchema schema = KnowledgeSchema.load(SCHEMAS.get(file));
            assertThatCode(() -> schema.validate(path.toString(), YAMLMapper.builder().build().readTree(Files.readString(path))))
                    .as(file).doesNotThrowAnyException();
        }
        StabilityKnowledge knowledge = load(Path.of("knowledge/stability"));
        assertThat(knowledge.pumps()).isNotEmpty();
        assertThat(knowledge.labeledProducts()).isNotEmpty();
        assertThat(knowledge.refillLimits("prialt")).isNotEmpty();
        assertThat(knowledge.studies()).isNotEmpty();
    }

    @Test
    void anEmptyFile() throws IOException {
        String message = loadEdited("refill-limits.yaml", t -> "");
        assertThat(message).endsWith("refill-limits.yaml: $: the file is empty");
    }

    // pumps.yaml

    @Test
    void pumpsAMisspeltKey() throws IOException {
        String message = loadEdited("pumps.yaml", t -> t.replace("modelNumbers: [\"11827\"]", "modelNumber: [\"11827\"]"));
        assertThat(message).contains("does not follow knowledge/schema/pumps.schema.json").contains("$[2]:").contains("modelNumber");
    }

    @Test
    void pumpsAMissingSourceAndAReservoirWithoutItsVolume() throws IOException {
        String source = loadEdited("pumps.yaml", t -> t.replace(
                "  source: \"Current Prialt label names SynchroMed III (prescriberpoint.com Prialt D&A, domain.md 3.1)\"\n", ""));
        assertThat(source).contains("$[1]:").contains("source");
        String volume = loadEdited("pumps.yaml", t -> t.replace("{modelNumber: \"11827\", ml: 20}", "{modelNumber: \"11827\"}"));
        assertThat(volume).contains("$[2].reservoirs[0]:").contains("ml");
    }

    @Test
    void pumpsADuplicateId() throws IOException {
        String message = loadEdited("pumps.yaml", t -> t.replace("- id: prometra-ii\n", "- id: prometra\n"));
        assertThat(message).contains("$[3].id (prometra): duplicate id, also $[2].id");
    }

    // labeled-products.yaml

    @Test
    void labeledProductsAUnitThatIsNotMassPerMl() throws IOException {
        String message = loadEdited("labeled-products.yaml", t -> t.replace("{value: 10, unit: \"mg/mL\"}", "{value: 10, unit: \"mg\"}"));
        assertThat(message).contains("does not follow knowledge/schema/labeled-products.schema.json")
                .contains("$[0].concentrations[0].unit:").contains("(found: mg)");
    }

    @Test
    void labeledProductsAMisspeltKeyInAUse() throws IOException {
        String message = loadEdited("labeled-products.yaml", t -> t.replaceFirst("concentrationRange:", "concentrationrange:"));
        assertThat(message).contains("$[2].uses[1]:").contains("concentrationrange");
    }

    @Test
    void labeledProductsNoConcentrationsWithoutAnyConcentration() throws IOException {
        String message = loadEdited("labeled-products.yaml", t -> t.replace("  anyConcentration: true\n", ""));
        assertThat(message).contains("$[5]:").contains("concentrations");
    }

    @Test
    void labeledProductsAnUnknownPumpDiluentOrIngredient() throws IOException {
        String pump = loadEdited("labeled-products.yaml", t -> t.replace("{pump: synchromed-iii,", "{pump: synchromed-iv,"));
        assertThat(pump).contains("$[1].uses[1].pump (prialt): no pump id synchromed-iv in ").contains("pumps.yaml");
        String diluent = loadEdited("labeled-products.yaml", t -> t.replace("diluents: [heparinized-saline,", "diluents: [heparinised-saline,"));
        assertThat(diluent).contains("$[5].dilution.diluents[0] (fudr-intera): no diluent id heparinised-saline in ")
                .contains("substances.yaml");
        String ingredient = loadEdited("labeled-products.yaml", t -> t.replace("{name: \"floxuridine\"}", "{name: \"floxuridin\"}"));
        assertThat(ingredient).contains("$[5].ingredient (fudr-intera): floxuridin is not an ingredient in ");
    }

    // refill-limits.yaml

    @Test
    void refillLimitsAnUnknownSituationAndNoDays() throws IOException {
        String when = loadEdited("refill-limits.yaml", t -> t.replace("when: diluted", "when: dilute"));
        assertThat(when).contains("does not follow knowledge/schema/refill-limits.schema.json").contains("$[1].when:")
                .contains("(found: dilute)");
        String days = loadEdited("refill-limits.yaml", t -> t.replace("maxDays: 14", "maxDays: 0"));
        assertThat(days).contains("$[0].maxDays:").contains("(found: 0)");
    }

    @Test
    void refillLimitsAnUnknownProduct() throws IOException {
        String message = loadEdited("refill-limits.yaml", t -> t.replaceFirst("product: prialt", "product: prialt-intrathecal"));
        assertThat(message).contains("$[0].product (prialt-first-fill): no product id prialt-intrathecal in ")
                .contains("labeled-products.yaml");
    }

    // studies.yaml

    @Test
    void studiesAnUnknownEvidenceTypeOrContainer() throws IOException {
        String evidence = loadEdited("studies.yaml", t -> t.replaceFirst("evidenceType: published", "evidenceType: publshed"));
        assertThat(evidence).contains("does not follow knowledge/schema/studies.schema.json").contains("$[0].evidenceType:")
                .contains("(found: publshed)");
        String container = loadEdited("studies.yaml", t -> t.replace("{type: syringe,", "{type: vial,"));
        assertThat(container).contains("$[8].container.type:").contains("(found: vial)");
    }

    @Test
    void studiesAMissingCitationAndAMisspeltKey() throws IOException {
        String citation = loadEdited("studies.yaml", t -> t.replace(
                "  citation: \"Classen AM, Wimbish GH, Kupiec TC. J Pain Symptom Manage 2004;28(6):603-611.\"\n", ""));
        assertThat(citation).contains("$[0]:").contains("citation");
        String key = loadEdited("studies.yaml", t -> t.replaceFirst("acceptancePercent: 94", "acceptancePercentage: 94"));
        assertThat(key).contains("$[1]:").contains("acceptancePercentage");
    }

    @Test
    void studiesAnUnconfirmedFactTheServiceDoesNotRead() throws IOException {
        // a misspelt "concentrations" would otherwise leave the concentrations counted as confirmed
        String message = loadEdited("studies.yaml", t -> t.replaceFirst("unconfirmed: \\[concentrations]", "unconfirmed: [concentration]"));
        assertThat(message).contains("$[0].unconfirmed[0]:").contains("(found: concentration)");
    }

    @Test
    void studiesAnUnknownDiluentOrIngredient() throws IOException {
        String diluent = loadEdited("studies.yaml", t -> t.replaceFirst("diluent: \"sodium chloride 0.9%\"", "diluent: \"saline 0.9%\""));
        assertThat(diluent).contains("$[5].diluent (sitaram-1997-baclofen-morphine): saline 0.9% is not a diluent name in ");
        String ingredient = loadEdited("studies.yaml", t -> t.replaceFirst("\\{rxcui: \"2599\", name: clonidine}", "{rxcui: \"2598\", name: clonidin}"));
        assertThat(ingredient).contains("$[0].ingredients[2] (classen-2004-morphine-bupivacaine-clonidine): clonidin (RxCUI 2598) is not an ingredient in ");
    }

    @Test
    void studiesATestedCombinationOffItsStudy() throws IOException {
        String unknown = loadEdited("studies.yaml", t -> t.replace("- {morphine: 15, baclofen: 1}", "- {morphin: 15, baclofen: 1}"));
        assertThat(unknown).contains("$[5].testedCombinations[1].morphin (sitaram-1997-baclofen-morphine): morphin is not an"
                + " ingredient of this study with a tested concentration range");
        String outside = loadEdited("studies.yaml", t -> t.replace("- {morphine: 15, baclofen: 1}", "- {morphine: 25, baclofen: 1}"));
        assertThat(outside).contains("$[5].testedCombinations[1].morphine (sitaram-1997-baclofen-morphine): 25.0 mg/mL lies"
                + " outside the tested range 7.5-21 mg/mL");
        String half = loadEdited("studies.yaml", t -> t.replace("- {morphine: 15, baclofen: 1}", "- {morphine: 15, clonidine: 1}"));
        assertThat(half).contains("$[5].testedCombinations[1].clonidine (sitaram-1997-baclofen-morphine)");
        String single = loadEdited("studies.yaml", t -> t.replace("- {morphine: 15, baclofen: 1}", "- {morphine: 15}"));
        assertThat(single).contains("$[5].testedCombinations[1]").contains("studies.schema.json");
    }

    // substances.yaml

    @Test
    void substancesAnUnknownPreservativeAndAMisspeltKey() throws IOException {
        String preservative = loadEdited("substances.yaml", t -> t.replaceFirst("\n    preservative: none\n", "\n    preservative: free\n"));
        assertThat(preservative).contains("does not follow knowledge/schema/substances.schema.json")
                .contains("$.diluents[0].preservative:").contains("(found: free)");
        String key = loadEdited("substances.yaml", t -> t.replace("{rxcui: \"197391\", name:", "{rxcui: \"197391\", nam:"));
        assertThat(key).contains("$.products[0]:").contains("nam");
    }

    @Test
    void substancesAnUnsourcedIngredient() throws IOException {
        String message = loadEdited("substances.yaml", t -> t.replace(
                "{id: cisplatin, names: [cisplatin], source: \"domain.md 5 S04, S05 (name only: no RxNorm code in the sources)\"}",
                "{id: cisplatin, names: [cisplatin]}"));
        assertThat(message).contains("$.ingredients[14]:").contains("source");
    }

    @Test
    void substancesANameOfTwoEntriesAndAnUnknownClassMember() throws IOException {
        String name = loadEdited("substances.yaml", t -> t.replace("names: [glycerin, glycerol]", "names: [glycerin, glycerol, saline]"));
        assertThat(name).contains("$.diluents[7].names[2] (glycerin): 'saline' is also $.diluents[1].names[3]");
        String member = loadEdited("substances.yaml", t -> t.replace("members: [morphine,", "members: [morphin,"));
        assertThat(member).contains("$.classes[0].members[0] (neuraxial-analgesic): no ingredient id morphin in this file");
    }
}
