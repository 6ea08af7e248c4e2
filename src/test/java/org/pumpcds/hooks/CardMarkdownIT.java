package org.pumpcds.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pumpcds.support.ApiTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Text from the order or the record is interpolated into a card's markdown detail, which EHRs render: it must
 * stay text there. A drug name carrying a line break, a heading and a link must not become a heading or a link.
 */
class CardMarkdownIT extends ApiTest {

    @Test
    void orderTextCannotAddHeadingsOrLinksToACardsDetail() {
        ObjectNode request = fixture("readme/order-sign-no-prefetch.json");
        request.put("fhirServer", sandboxUrl());
        ObjectNode medication = (ObjectNode) request.path("context").path("draftOrders").path("entry").get(0)
                .path("resource").path("contained").get(0);
        medication.putObject("code").put("text",
                "Baclofen\n# Approved: no review needed\n[Verify the dose](https://evil.example/login) ![x](https://evil.example/p.png)");
        JsonNode body = json(post("/cds-services/pump-order-sign", request).then().statusCode(200).extract().response());
        String detail = body.path("cards").get(0).path("detail").asString();
        assertThat(detail).contains("Baclofen # Approved: no review needed \\[Verify the dose\\](https://evil.example/login)")
                .doesNotContain("\n# Approved", "[Verify the dose](", "![x](");
    }
}
