package org.pumpcds.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.pumpcds.PumpCdsApplication;
import org.pumpcds.support.KnowledgeFolder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A wrong knowledge file stops the service at start, with a message naming the file and the field: it never starts
 * and then answers 500. Each case edits one policy file in a copy of the knowledge folder, as an analyst would
 * (PolicyKnowledgeTest covers the other file mistakes without starting the service).
 */
class KnowledgeStartupIT {

    /** The start's failure, from the outermost exception down to its root cause, as one text. */
    /** @param properties settings given on the command line, as an operator would */
    private static String startWith(String file, UnaryOperator<String> edit, String... properties) throws IOException {
        Path folder = KnowledgeFolder.copy();
        Path policy = folder.resolve("policies").resolve(file);
        String original = Files.readString(policy);
        String edited = edit.apply(original);
        assertThat(edited.equals(original)).as("the edit applies").isEqualTo(properties.length > 0);
        Files.writeString(policy, edited);
        Throwable failure = catchThrowable(() -> {
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PumpCdsApplication.class)
                    .properties("server.port=0", "spring.datasource.url=jdbc:h2:mem:knowledge-startup;DB_CLOSE_DELAY=-1",
                            "pumpcds.knowledge.location=" + folder)
                    .run(java.util.Arrays.stream(properties).map(p -> "--" + p).toArray(String[]::new))) {
                // started: the assertion below fails
            }
        });
        assertThat(failure).as("the service must refuse to start").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void anUnknownCheckKindNamesFileAndField() throws IOException {
        String message = startWith("cms.yaml", text -> text.replace("kind: drug-allergy", "kind: drug-alergy"));
        assertThat(message).contains(folderFile("cms.yaml")).contains("$.criteria[3].check.kind").contains("drug-alergy");
    }

    @Test
    void aMissingValueSetNamesFileAndField() throws IOException {
        String message = startWith("cms.yaml", text -> text.replace("valueSet: infection\n", "valueSet: infections\n"));
        assertThat(message).contains(folderFile("cms.yaml")).contains("$.criteria[5].check.valueSet: no value set infections");
    }

    @Test
    void anUndefinedCriterionNamesFileAndField() throws IOException {
        String message = startWith("bcbsaz.yaml", text -> text.replace("- bcbsaz.benefit-plan\npathways:", "- bcbsaz.benefit-plan\n- bcbsaz.benefit\npathways:"));
        assertThat(message).contains(folderFile("bcbsaz.yaml")).contains("$.always[3]: criterion bcbsaz.benefit is not defined");
    }

    @Test
    void aPayerTableRowNamingAPharmacyPolicyNamesTheSetting() throws IOException {
        String message = startWith("cms.yaml", text -> text, "pumpcds.coverage.payers[0].policy=ma-2024-02",
                "pumpcds.coverage.payers[0].plan=x");
        assertThat(message).contains("pumpcds.coverage.payers[0].policy: ma-2024-02 is not a policy with family: payer");
    }

    /** How the message names a file of the copied folder: its path ending in policies/<file>. */
    private static String folderFile(String file) {
        return "/policies/" + file;
    }
}
