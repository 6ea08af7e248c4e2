package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.pumpcds.feedback.FeedbackItem;
import org.pumpcds.feedback.FeedbackStore;
import org.pumpcds.support.ApiTest;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Feedback (checklist B-1..B-6): validated, stored in the database, repeats harmless. */
class FeedbackIT extends ApiTest {

    private static final String FEEDBACK = "/cds-services/pump-order-select/feedback";

    @Autowired
    FeedbackStore store;

    private static String item(String card, String outcome, String extra) {
        return "{\"card\":\"" + card + "\",\"outcome\":\"" + outcome + "\",\"outcomeTimestamp\":\"2026-11-21T10:15:00Z\"" + extra + "}";
    }

    @Test
    void storesEachItemOnceHoweverOftenItIsSent() {
        int before = store.count("pump-order-select");
        String card = UUID.randomUUID().toString();
        String body = "{\"feedback\":[" + item(card, "overridden",
                ",\"overrideReason\":{\"reason\":{\"system\":\"https://pump-cds.github.io/fhir/CodeSystem/pump-cds\","
                        + "\"code\":\"criteria-documented-elsewhere\",\"display\":\"x\"},\"userComment\":\"trial note scanned\"}")
                + "," + item(card, "accepted", ",\"acceptedSuggestions\":[{\"id\":\"s1\"}]") + "]}";
        JsonNode first = json(post(FEEDBACK, body).then().statusCode(200).extract().response());
        assertThat(first.path("received").asInt()).isEqualTo(2);
        assertThat(first.path("stored").asInt()).isEqualTo(2);
        JsonNode again = json(post(FEEDBACK, body).then().statusCode(200).extract().response());
        assertThat(again.path("stored").asInt()).isZero();
        assertThat(store.count("pump-order-select")).isEqualTo(before + 2);
    }

    @Test
    void malformedItemsGet400NamingItemAndField() {
        String body = "{\"feedback\":[" + item("c1", "accepted", "") + ","
                + "{\"card\":\"c2\",\"outcome\":\"ignored\",\"outcomeTimestamp\":\"yesterday\"}]}";
        JsonNode error = json(post(FEEDBACK, body).then().statusCode(400).extract().response());
        assertThat(error.toString()).contains("feedback[0].acceptedSuggestions", "feedback[1].outcome",
                "feedback[1].outcomeTimestamp");
        post(FEEDBACK, "{\"feedback\":[]}").then().statusCode(400);
        post(FEEDBACK, "{").then().statusCode(400);
        post(FEEDBACK, "{\"feedback\":{}}").then().statusCode(400);
    }

    @Test
    void overLongFieldsGet400NamingEachFieldNeverA500() {
        String comment = "x".repeat(FeedbackItem.MAX_COMMENT + 1);
        String body = "{\"feedback\":[" + item("c".repeat(FeedbackItem.MAX_CARD + 1), "overridden",
                ",\"overrideReason\":{\"reason\":{\"system\":\"" + "s".repeat(FeedbackItem.MAX_REASON_SYSTEM + 1)
                        + "\",\"code\":\"" + "k".repeat(FeedbackItem.MAX_REASON_CODE + 1) + "\"},\"userComment\":\"" + comment + "\"}")
                + "," + item("c2", "accepted", ",\"acceptedSuggestions\":[{\"id\":\"" + "i".repeat(FeedbackItem.MAX_SUGGESTIONS + 1) + "\"}]")
                + "]}";
        String error = post(FEEDBACK, body).then().statusCode(400).extract().asString();
        assertThat(error).contains("feedback[0].card", "feedback[0].overrideReason.reason.system",
                "feedback[0].overrideReason.reason.code", "feedback[0].overrideReason.userComment",
                "feedback[1].acceptedSuggestions").doesNotContain(comment);
        String atTheLimit = "{\"feedback\":[" + item("c".repeat(FeedbackItem.MAX_CARD), "overridden",
                ",\"overrideReason\":{\"userComment\":\"" + "x".repeat(FeedbackItem.MAX_COMMENT) + "\"}") + "]}";
        post(FEEDBACK, atTheLimit).then().statusCode(200);
    }
}
