package org.pumpcds.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.node.ObjectNode;

/** The analytics page in headless Chromium, over a database of its own holding two calls and one override. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:analytics-page;DB_CLOSE_DELAY=-1")
class AnalyticsPageIT extends ApiTest {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Autowired
    CardAuditWriter writer;

    @Test
    void showsEachRulesOutcomesInATableAndAChart() throws Exception {
        String first = null;
        for (int i = 0; i < 2; i++) {
            ObjectNode request = fixture("readme/order-sign-no-prefetch.json");
            request.put("fhirServer", sandboxUrl());
            String card = json(post("/cds-services/pump-order-sign", request).then().statusCode(200).extract().response())
                    .path("cards").get(0).path("uuid").asString();
            first = first == null ? card : first;
        }
        post("/cds-services/pump-order-sign/feedback", "{\"feedback\":[{\"card\":\"" + first + "\",\"outcome\":\"overridden\","
                + "\"outcomeTimestamp\":\"2026-11-27T10:00:00Z\",\"overrideReason\":{\"reason\":{\"system\":"
                + "\"https://pump-cds.github.io/fhir/CodeSystem/pump-cds\",\"code\":\"pharmacist-reviewed\"}}}]}")
                .then().statusCode(200);
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        BROWSER.driver().get("http://localhost:" + port + "/analytics/?from=" + today + "&to=" + today);
        WebDriverWait wait = new WebDriverWait(BROWSER.driver(), Duration.ofSeconds(15));
        WebElement row = wait.until(d -> d.findElements(By.cssSelector("tr[data-rule='ma-2024-02.documentation']"))
                .stream().findFirst().orElse(null));
        List<String> cells = row.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).toList();
        assertThat(cells).containsExactly("ma-2024-02.documentation", "2", "0", "1", "1", "50%", "pharmacist-reviewed (1)", "0", "");
        assertThat(BROWSER.driver().findElements(By.cssSelector("#chart svg rect"))).hasSize(3 * 2); // two rules, three parts
        assertThat(BROWSER.driver().findElement(By.id("csv")).getAttribute("href")).contains("format=csv", "from=" + today);
        BROWSER.screenshot("analytics");
    }
}
