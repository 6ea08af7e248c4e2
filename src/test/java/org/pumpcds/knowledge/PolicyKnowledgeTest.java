package org.pumpcds.knowledge;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.Knowledge;
import org.pumpcds.support.KnowledgeFolder;

/** Mistakes an analyst can make in a policy file, each refused with the file and field named. */
class PolicyKnowledgeTest {

    private static Path edited(String file, UnaryOperator<String> edit) throws IOException {
        Path folder = KnowledgeFolder.copy();
        Path policy = folder.resolve("policies").resolve(file);
        String original = Files.readString(policy);
        String changed = edit.apply(original);
        if (changed.equals(original)) {
            throw new IllegalStateException("the edit does not apply to " + file);
        }
        Files.writeString(policy, changed);
        return folder.resolve("policies");
    }

    @Test
    void anUnknownParameter() throws IOException {
        Path folder = edited("cg-surg-79.yaml", t -> t.replace("moreThanPercent: 50", "moreThanPercent: 50\n    treshold: 3"));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("cg-surg-79.yaml")
                .hasMessageContaining("$.criteria[9].check").hasMessageContaining("treshold");
    }

    @Test
    void aMissingRequiredParameterAndAWrongType() throws IOException {
        Path missing = edited("cg-surg-79.yaml", t -> t.replaceFirst("\n *moreThanPercent: 50", ""));
        assertThatThrownBy(() -> Knowledge.policies(missing)).hasMessageContaining("$.criteria[9].check")
                .hasMessageContaining("moreThanPercent");
        Path text = edited("cg-surg-79.yaml", t -> t.replace("moreThanPercent: 50", "moreThanPercent: fifty"));
        assertThatThrownBy(() -> Knowledge.policies(text)).hasMessageContaining("$.criteria[9].check.moreThanPercent");
    }

    @Test
    void anUnreachableCriterion() throws IOException {
        Path folder = edited("cms.yaml", t -> t.replace(" cms.crosstalk]", "]"));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("cms.yaml: $.criteria[8] (cms.crosstalk): unreachable");
    }

    @Test
    void anUnknownTherapyInAPathway() throws IOException {
        Path folder = edited("cg-surg-79.yaml", t -> t.replace("therapy: [insulin]}", "therapy: [insuline]}"));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("$.pathways[2].when.therapy[0]")
                .hasMessageContaining("insuline");
    }

    @Test
    void aStateGovernedTwice() throws IOException {
        Path folder = edited("ut-r156-17b-614a.yaml", t -> t.replace("states: [UT, Utah]", "states: [UT, Utah, MA]"));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("ut-r156-17b-614a.yaml: $.states: MA is already governed by ma-2024-02");
    }

    @Test
    void aCriterionIdOutsideItsPolicy() throws IOException {
        Path folder = edited("cms.yaml", t -> t.replace("- id: cms.ncd", "- id: cmx.ncd").replace("always: [cms.ncd,", "always: [cmx.ncd,"));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("cms.yaml: $.criteria[0].id (cmx.ncd): a criterion id must start with cms.");
    }

    @Test
    void familyRules() throws IOException {
        Path payerKindInPharmacy = edited("ma-2024-02.yaml", t -> t.replace("check: {kind: stability-pump}", "check: {kind: drug-allergy}"));
        assertThatThrownBy(() -> Knowledge.policies(payerKindInPharmacy)).hasMessageContaining("ma-2024-02.yaml: $.criteria[7].check.kind: drug-allergy does not belong in a pharmacy policy");
        Path twice = edited("ma-2024-02.yaml", t -> t.replace("check: {kind: stability-pump}", "check: {kind: stability-duration}"));
        assertThatThrownBy(() -> Knowledge.policies(twice)).hasMessageContaining("$.criteria[7].check.kind: a second stability-duration criterion");
        Path elementInPayer = edited("cms.yaml", t -> t.replace("check: {kind: drug-intolerance}", "check: {kind: stability-pump}"));
        assertThatThrownBy(() -> Knowledge.policies(elementInPayer)).hasMessageContaining("cms.yaml: $.criteria[4].check.kind: stability-pump does not belong in a payer policy");
    }

    @Test
    void aCatchAllPathwayBeforeOthers() throws IOException {
        Path folder = edited("cg-surg-79.yaml", t -> t.replace("- when: {replacement: true}\n  criteria:", "- criteria:"));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("cg-surg-79.yaml: $.pathways[0]: a pathway without when");
    }

    @Test
    void aCodeSystemThatIsNotAUri() throws IOException {
        Path folder = edited("cms.yaml", t -> t.replace("weight: {system: \"http://loinc.org\"", "weight: {system: \"loinc code sys\""));
        assertThatThrownBy(() -> Knowledge.policies(folder)).hasMessageContaining("$.criteria[7].check.weight.system");
    }
}
