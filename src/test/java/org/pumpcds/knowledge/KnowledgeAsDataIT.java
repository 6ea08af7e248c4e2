package org.pumpcds.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.KnowledgeFolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An analyst's change, as data only: a fourth payer policy and a pharmacy policy for a state without rules, added as
 * files to a copy of the knowledge folder (pumpcds.knowledge.location), with the payer table pointing a payer at the
 * new policy. No Java: the service answers over HTTP with cards that apply them.
 */
class KnowledgeAsDataIT extends ApiTest {

    /** A payer whose pain-pump criterion asks more of a trial than the other payers (70%, invented for the test). */
    static final String ACME = """
            id: acme-pain
            label: ACME Health pain pump policy (test)
            sourceFile: "test fixture: not a real policy"
            url: https://payer.example/acme-pain
            family: payer
            pathways:
            - when: {therapy: [neuraxial-analgesia]}
              criteria: [acme-pain.diagnosis, acme-pain.trial]
            - criteria: [acme-pain.not-covered]
            criteria:
            - id: acme-pain.diagnosis
              title: Chronic intractable pain
              section: "Criterion 1"
              needs: a diagnosis of chronic intractable pain
              whenUnmet: warning
              whenNotDocumented: warning
              template: coverage-criterion
              check: {kind: diagnosis, valueSet: chronic-pain, whenAbsent: not-documented, absent: no chronic pain diagnosis}
            - id: acme-pain.trial
              title: Trial with more than 70% pain reduction
              section: "Criterion 2"
              needs: a trial by the planned route with more than 70% pain reduction
              whenUnmet: warning
              whenNotDocumented: warning
              template: coverage-trial
              check:
                kind: trial-reduction
                procedure: {system: "https://pump-cds.github.io/fhir/CodeSystem/pump-cds", code: pump-trial}
                reduction: {system: "https://pump-cds.github.io/fhir/CodeSystem/pump-cds", code: trial-pain-reduction}
                painScore: {system: "http://loinc.org", code: 72514-3}
                moreThanPercent: 70
            - id: acme-pain.not-covered
              title: Use not covered
              section: "Exclusions"
              needs: a neuraxial analgesic
              whenUnmet: warning
              whenNotDocumented: warning
              template: coverage-exclusion
              check: {kind: excluded-use}
            """;

    /** New York pharmacy rules that check only documentation and the refill interval (invented for the test). */
    static final String NEW_YORK = """
            id: ny-compounding
            label: NY compounding rules (test)
            sourceFile: "test fixture: not a real regulation"
            family: pharmacy
            states: [NY, New York]
            criteria:
            - id: ny-compounding.documentation
              section: "Section 1"
              needs: labeled use or stability documentation
              whenUnmet: critical
              whenNotDocumented: warning
              template: compounding-documentation
              check: {kind: stability-documentation}
            - id: ny-compounding.duration
              section: "Section 2"
              needs: stability for the planned refill interval
              whenUnmet: warning
              whenNotDocumented: warning
              template: compounding-duration
              check: {kind: stability-duration}
            """;

    @DynamicPropertySource
    static void knowledge(DynamicPropertyRegistry registry) throws IOException {
        Path folder = KnowledgeFolder.copy();
        Files.writeString(folder.resolve("policies/acme-pain.yaml"), ACME);
        Files.writeString(folder.resolve("policies/ny-compounding.yaml"), NEW_YORK);
        registry.add("pumpcds.knowledge.location", folder::toString);
        registry.add("pumpcds.coverage.payers[0].system", () -> "https://pump-cds.github.io/fhir/sandbox-payer-id");
        registry.add("pumpcds.coverage.payers[0].value", () -> "anthem");
        registry.add("pumpcds.coverage.payers[0].policy", () -> "acme-pain");
    }

    private JsonNode cards(String scenario, String patient, java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode request = fixture("scenarios/order-sign/" + scenario + "/request.json");
        edit.accept(request);
        request.put("fhirServer", sandboxUrl());
        request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer").put("scope", "patient/*.read")
                .put("subject", "pump-cds-hooks").put("expires_in", 300);
        request.set("prefetch", prefetchFromSandbox("pump-order-sign", patient));
        Response response = post("/cds-services/pump-order-sign", request);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return json(response).get("cards");
    }

    private static JsonNode card(JsonNode cards, String kind) {
        for (JsonNode card : cards) {
            if (card.path("extension").path("org.pumpcds.card").asString().equals(kind)) {
                return card;
            }
        }
        throw new AssertionError("no " + kind + " card in " + cards);
    }

    private static List<String> findings(JsonNode card) {
        List<String> out = new ArrayList<>();
        card.path("extension").path("org.pumpcds.findings").forEach(f -> out.add(f.get("ruleId").asString() + "=" + f.get("status").asString()));
        return out;
    }

    @Test
    void aFourthPayerAddedAsAFileJudgesItsPatientsByItsOwnThreshold() {
        // S12: intrathecal trial, pain 8 before and 3 after (62.5%): enough for Anthem's "more than 50%", not for ACME's 70%
        JsonNode coverage = card(cards("119-s12-failed-back-surgery-successful-trial", "cov-s12", r -> { }), "coverage");
        assertThat(coverage.path("source").path("label").asString()).isEqualTo("ACME Health pain pump policy (test)");
        assertThat(coverage.path("source").path("url").asString()).isEqualTo("https://payer.example/acme-pain");
        assertThat(findings(coverage)).containsExactly("acme-pain.diagnosis=met", "acme-pain.trial=unmet");
        assertThat(coverage.path("indicator").asString()).isEqualTo("warning");
        assertThat(coverage.path("summary").asString()).isEqualTo("Trial reduced pain 62.5%: the policy requires more than 70%");
    }

    @Test
    void aStateAddedAsAFileAppliesItsOwnElementsToItsPharmacies() {
        // S24 dispensed from the New York pharmacy instead of the Massachusetts one: NY's two elements, not MA's nine
        JsonNode compounding = card(cards("009-s24-planned-interval-exceeds-documented", "scn-s24", r -> r.withObject("context")
                .withObject("draftOrders").withArray("entry").get(0).withObject("resource").withObject("dispenseRequest")
                .withObject("performer").put("reference", "Organization/pharmacy-ny")), "compounding");
        assertThat(compounding.path("source").path("label").asString()).isEqualTo("NY compounding rules (test)");
        assertThat(findings(compounding)).containsExactly("ny-compounding.documentation=met", "ny-compounding.duration=unmet",
                "pump-drug-labeling.fda-2018-communication=information");
        assertThat(compounding.path("detail").asString()).contains("(dispensing pharmacy in NY)");
    }
}
