package org.pumpcds.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The feedback table's columns hold exactly what FeedbackItem accepts: a longer value would be a 400 too late. */
class FeedbackSchemaTest {

    @Test
    void columnSizesAreTheItemLimits() throws IOException {
        String schema = Files.readString(Path.of("src/main/resources", FeedbackStore.SCHEMA_SCRIPT));
        Map<String, Integer> limits = Map.of("card_uuid", FeedbackItem.MAX_CARD,
                "accepted_suggestions", FeedbackItem.MAX_SUGGESTIONS, "override_reason_system", FeedbackItem.MAX_REASON_SYSTEM,
                "override_reason_code", FeedbackItem.MAX_REASON_CODE, "user_comment", FeedbackItem.MAX_COMMENT);
        limits.forEach((column, limit) -> {
            Matcher size = Pattern.compile("\\b" + column + "\\s+VARCHAR\\((\\d+)\\)").matcher(schema);
            assertThat(size.find()).as(column + " in " + FeedbackStore.SCHEMA_SCRIPT).isTrue();
            assertThat(Integer.parseInt(size.group(1))).as(column).isEqualTo(limit);
        });
    }
}
