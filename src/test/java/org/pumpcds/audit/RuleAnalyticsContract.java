package org.pumpcds.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Feedback counted per rule, exactly, for a seeded set of real calls and feedback: repeats counted once, cards
 * without feedback counted as ignored, override reasons and comments per rule, accepted suggestions by label. Run
 * on the embedded default database and on PostgreSQL.
 */
abstract class RuleAnalyticsContract extends ApiTest {

    private static final String SIGN = "/cds-services/pump-order-sign";
    private static final String FEEDBACK = SIGN + "/feedback";
    private static final String REASONS = "https://pump-cds.github.io/fhir/CodeSystem/pump-cds";

    @Autowired
    CardAuditWriter writer;

    @Test
    void everyRuleIsCountedExactly() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        // three compounded refills with nothing documenting them: one critical card each
        List<String> compounded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            compounded.add(sign(compoundedRefill()).path("cards").get(0).path("uuid").asString());
        }
        // Prialt diluted, refill at 60 days: a warning with one suggestion, and an info card on contraindications
        JsonNode prialt = sign(prialtRefill()).path("cards");
        String prialtCard = prialt.get(0).path("uuid").asString();
        String suggestion = prialt.get(0).path("suggestions").get(0).path("uuid").asString();

        String overridden = item(compounded.get(0), "overridden", "2026-11-27T10:00:00Z",
                ",\"overrideReason\":{\"reason\":{\"system\":\"" + REASONS + "\",\"code\":\"pharmacist-reviewed\"},"
                        + "\"userComment\":\"reviewed with the pharmacist\"}");
        feedback(overridden);
        feedback(overridden); // the same item again: stored once
        feedback(item(compounded.get(0), "overridden", "2026-11-27T10:05:00Z",
                ",\"overrideReason\":{\"reason\":{\"system\":\"" + REASONS + "\",\"code\":\"pharmacist-reviewed\"},"
                        + "\"userComment\":\"reviewed with the pharmacist\"}")); // sent again later: one card, one comment
        feedback(item(compounded.get(1), "overridden", "2026-11-27T10:01:00Z", ""));
        feedback(item(prialtCard, "accepted", "2026-11-27T10:02:00Z", ",\"acceptedSuggestions\":[{\"id\":\"" + suggestion + "\"}]"));
        feedback(item(prialtCard, "accepted", "2026-11-27T10:03:00Z", ",\"acceptedSuggestions\":[{\"id\":\"" + suggestion + "\"}]"));
        assertThat(writer.flush(Duration.ofSeconds(10))).as("audit written").isTrue();
        String period = "?from=" + from + "&to=" + Instant.now().plusSeconds(1);

        JsonNode rules = json(given().get("/analytics/rules" + period).then().statusCode(200).extract().response()).path("rules");
        assertThat(rules.toString()).isEqualTo("["
                + "{\"ruleId\":\"ma-2024-02.documentation\",\"shown\":4,\"accepted\":1,\"overridden\":2,\"ignored\":1,"
                + "\"overriddenWithoutReason\":1,\"comments\":1,\"overrideReasons\":[{\"system\":\"" + REASONS
                + "\",\"code\":\"pharmacist-reviewed\",\"cards\":1}],\"acceptedSuggestions\":[{\"label\":\"Refill within 40 days\",\"accepted\":1}]},"
                + "{\"ruleId\":\"pump-drug-labeling.fda-2018-communication\",\"shown\":3,\"accepted\":0,\"overridden\":2,\"ignored\":1,"
                + "\"overriddenWithoutReason\":1,\"comments\":1,\"overrideReasons\":[{\"system\":\"" + REASONS
                + "\",\"code\":\"pharmacist-reviewed\",\"cards\":1}],\"acceptedSuggestions\":[]},"
                + "{\"ruleId\":\"pump-drug-labeling.refill-interval\",\"shown\":1,\"accepted\":1,\"overridden\":0,\"ignored\":0,"
                + "\"overriddenWithoutReason\":0,\"comments\":0,\"overrideReasons\":[],\"acceptedSuggestions\":"
                + "[{\"label\":\"Refill within 40 days\",\"accepted\":1}]},"
                + "{\"ruleId\":\"pump-drug-labeling.ziconotide-psychosis\",\"shown\":1,\"accepted\":0,\"overridden\":0,\"ignored\":1,"
                + "\"overriddenWithoutReason\":0,\"comments\":0,\"overrideReasons\":[],\"acceptedSuggestions\":[]}]");

        JsonNode one = json(given().get("/analytics/rules/pump-drug-labeling.refill-interval" + period).then().statusCode(200)
                .extract().response());
        assertThat(one.path("rules")).hasSize(1);
        assertThat(one.path("rules").get(0).path("accepted").asInt()).isEqualTo(1);
        String csv = given().get("/analytics/rules" + period + "&format=csv").then().statusCode(200)
                .contentType("text/csv;charset=UTF-8").extract().asString();
        assertThat(csv).startsWith("rule_id,shown,accepted,overridden,ignored,overridden_without_reason,comments,"
                + "override_reasons,accepted_suggestions\r\n")
                .contains("\"ma-2024-02.documentation\",4,1,2,1,1,1,\"pharmacist-reviewed=1\",\"Refill within 40 days=1\"\r\n");
        JsonNode never = json(given().get("/analytics/rules/cms.no-such-rule" + period).then().statusCode(200).extract().response());
        assertThat(never.path("rules").get(0).path("shown").asInt()).isZero();
    }

    @Test
    void noCsvCellCanRunAsASpreadsheetFormula() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String card = sign(compoundedRefill()).path("cards").get(0).path("uuid").asString();
        feedback(item(card, "overridden", "2026-11-27T11:00:00Z", ",\"overrideReason\":{\"reason\":{\"system\":\"x\","
                + "\"code\":\"\\u2028,=HYPERLINK(\\\"https://evil.example\\\")\"}}"));
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        String csv = given().get("/analytics/rules?from=" + from + "&to=" + Instant.now().plusSeconds(1) + "&format=csv")
                .then().statusCode(200).extract().asString();
        assertThat(csv).contains("\"'\u2028,=HYPERLINK(\"\"https://evil.example\"\")=1\"");
        for (String cell : cells(csv)) {
            assertThat(cell.strip()).as("no cell a spreadsheet would run").doesNotStartWith("=").doesNotStartWith("+")
                    .doesNotStartWith("-").doesNotStartWith("@");
        }
    }

    /** The cells of an RFC 4180 text, read as a spreadsheet reads them. */
    private static List<String> cells(String csv) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',' || c == '\n') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }

    @Test
    void aBadPeriodOrRuleIdIs400NamingTheParameter() {
        assertThat(given().get("/analytics/rules?from=yesterday").then().statusCode(400).extract().asString()).contains("\"from\"");
        assertThat(given().get("/analytics/rules?from=2026-11-02&to=2026-11-01").then().statusCode(400).extract().asString())
                .contains("from must be before to");
        assertThat(given().get("/analytics/rules/DROP%20TABLE").then().statusCode(400).extract().asString()).contains("ruleId");
        assertThat(given().get("/analytics/rules?format=xml").then().statusCode(400).extract().asString()).contains("format");
        assertThat(given().get("/analytics/rules?to=+300000-01-01T00:00:00Z").then().statusCode(400).extract().asString())
                .contains("1970 to 9999");
    }

    private JsonNode sign(ObjectNode request) {
        request.put("fhirServer", sandboxUrl());
        request.putObject("fhirAuthorization").put("access_token", "analytics-test").put("token_type", "Bearer");
        return json(post(SIGN, request).then().statusCode(200).extract().response());
    }

    private static ObjectNode compoundedRefill() {
        ObjectNode request = fixture("readme/order-sign-no-prefetch.json");
        request.put("hookInstance", java.util.UUID.randomUUID().toString());
        return request;
    }

    private static ObjectNode prialtRefill() {
        return fixture("scenarios/order-sign/007-prialt-diluted-beyond-40-days/request.json");
    }

    private static String item(String card, String outcome, String at, String extra) {
        return "{\"card\":\"" + card + "\",\"outcome\":\"" + outcome + "\",\"outcomeTimestamp\":\"" + at + "\"" + extra + "}";
    }

    private static void feedback(String item) {
        post(FEEDBACK, "{\"feedback\":[" + item + "]}").then().statusCode(200);
    }
}
