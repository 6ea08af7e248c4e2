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
}
