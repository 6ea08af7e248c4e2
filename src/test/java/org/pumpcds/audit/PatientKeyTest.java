package org.pumpcds.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Patient ids in the audit: keyed, stable under one key, unlinkable across keys, never the id itself. */
class PatientKeyTest {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";

    @Test
    void oneKeyGivesOneHashPerPatientOnEveryThread() throws Exception {
        PatientKey key = PatientKey.of(SECRET);
        String here = key.hash("pump-new-implant");
        String elsewhere = CompletableFuture.supplyAsync(() -> key.hash("pump-new-implant")).get();
        assertThat(here).hasSize(64).isEqualTo(elsewhere).isEqualTo(PatientKey.of(SECRET).hash("pump-new-implant"))
                .doesNotContain("pump");
        assertThat(key.hash("no-pump")).isNotEqualTo(here);
        assertThat(PatientKey.of(SECRET + "!").hash("pump-new-implant")).isNotEqualTo(here);
        assertThat(PatientKey.random().hash("pump-new-implant")).isNotEqualTo(here);
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> PatientKey.of("short")).hasMessageContaining("pumpcds.audit.patient-key");
    }
}
