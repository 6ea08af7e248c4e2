package org.pumpcds.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.pumpcds.support.ApiTest;
import org.pumpcds.support.Browser;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The ordering preview in headless Chromium, against the whole running service: the page fetches discovery and
 * prefetch and posts the hook calls and feedback itself, so what is asserted here is what a tester sees. On failure
 * a screenshot is saved under target/browser-screenshots/; each state the README shows is saved there too.
 */
class OrderingPreviewIT extends ApiTest {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Autowired
    DataSource database;

    private WebDriverWait wait;

    @BeforeEach
    void openPreview() {
        BROWSER.driver().manage().window().setSize(new Dimension(1280, 1000));
        BROWSER.driver().get("http://localhost:" + port + "/preview/");
        wait = new WebDriverWait(BROWSER.driver(), Duration.ofSeconds(15));
        awaitStatus("order-select");
    }

    @Test
    void compoundedRefillWithoutDocumentationIsCriticalAndAnOverrideIsStoredWithItsReason() {
        // the first patient: compounded baclofen + clonidine, nothing documents its stability
        List<WebElement> cards = awaitCards();
        assertThat(indicators(cards)).containsExactly("critical");
        assertThat(cards.get(0).getText()).contains("No FDA-labeled use, stability documentation or testing on file",
                "MA Board of Pharmacy Policy 2024-02");
        assertThat(cards.get(0).findElement(By.cssSelector(".source a")).getAttribute("href")).startsWith("http");

        BROWSER.driver().findElement(By.id("sign")).click();
        awaitStatus("order-sign: 1 critical card");
        WebElement card = awaitCards().get(0);
        String cardUuid = card.getDomAttribute("data-card");
        BROWSER.screenshot("compounded-refill");

        WebElement override = card.findElement(By.cssSelector(".override summary"));
        override.sendKeys(Keys.ENTER); // keyboard, not a click: the override must be reachable without a mouse
        card.findElement(By.cssSelector(".submit-override")).click();
        assertThat(BROWSER.driver().findElement(By.id("feedback-status")).getText())
                .as("no reason chosen: nothing is sent, no reason is recorded for the clinician").isEmpty();
        new Select(card.findElement(By.cssSelector("select[name=reason]")))
                .selectByVisibleText("Pharmacist reviewed and accepts the preparation for this interval");
        card.findElement(By.cssSelector("textarea[name=comment]")).sendKeys("reviewed with the compounding pharmacist");
        card.findElement(By.cssSelector(".submit-override")).click();

        wait.until(d -> d.findElement(By.cssSelector(".card.overridden")).isDisplayed());
        assertThat(BROWSER.driver().findElement(By.id("feedback-status")).getText()).contains("overridden", "stored 1");
        assertThat(storedFeedback(cardUuid)).containsExactly(
                "pump-order-sign overridden pharmacist-reviewed reviewed with the compounding pharmacist");
    }

    @Test
    void acceptingTheLabeledRefillLimitChangesTheDraftOrderAndTheCardsUpdate() {
        choosePatient("scn-prialt-diluted");
        List<WebElement> cards = awaitCards();
        assertThat(indicators(cards)).contains("warning");
        WebElement warning = cards.stream().filter(c -> "warning".equals(c.getDomAttribute("data-indicator"))).findFirst().orElseThrow();
        assertThat(warning.getText()).contains("planned refill 60 days exceeds the labeled 40 days");
        assertThat(BROWSER.driver().findElement(By.id("interval")).getDomProperty("value")).isEqualTo("60");
        String cardUuid = warning.getDomAttribute("data-card");

        WebElement accept = warning.findElement(By.cssSelector("button.accept"));
        assertThat(accept.getText()).isEqualTo("Accept: Refill within 40 days");
        accept.click();

        wait.until(d -> d.findElement(By.id("draft-resources")).getText().contains("refill every 40 days"));
        assertThat(BROWSER.driver().findElement(By.id("interval")).getDomProperty("value")).isEqualTo("40");
        wait.until(d -> d.findElements(By.cssSelector(".card[data-indicator=warning]")).isEmpty()
                && !d.findElements(By.cssSelector(".card")).isEmpty());
        assertThat(BROWSER.driver().findElement(By.id("cards")).getText()).doesNotContain("exceeds the labeled 40 days");
        assertThat(storedFeedback(cardUuid)).singleElement().asString().startsWith("pump-order-select accepted");
    }

    @Test
    void aNewImplantMeetingEveryCriterionGetsInfoCardsAndOneWithoutATrialAWarningWithASuggestion() {
        choosePatient("pump-new-implant");
        List<WebElement> cards = awaitCards();
        assertThat(indicators(cards)).containsOnly("info");
        assertThat(BROWSER.driver().findElement(By.id("cards")).getText())
                .contains("CG-SURG-79 Implantable Infusion Pumps: no unmet criterion for the pump order");
        BROWSER.screenshot("new-implant");

        choosePatient("cov-no-trial");
        awaitStatus("order-select");
        wait.until(d -> !d.findElements(By.cssSelector(".card[data-indicator=warning]")).isEmpty());
        WebElement warning = BROWSER.driver().findElement(By.cssSelector(".card[data-indicator=warning]"));
        assertThat(warning.getText()).contains("No successful pump trial by the intrathecal route documented");
        warning.findElement(By.cssSelector("button.accept")).click();
        // a create action: the proposed trial joins the draft order
        wait.until(d -> d.findElement(By.id("draft-resources")).getText().contains("Pump trial by the intrathecal route"));
    }

    @Test
    void aNonPumpOrderGetsNoCards() {
        choosePatient("no-pump");
        awaitStatus("order-select: no cards");
        assertThat(BROWSER.driver().findElement(By.id("status")).getText())
                .as("no cards is not a clean bill of health").contains("does not check dose, interactions, allergies or indication");
        assertThat(BROWSER.driver().findElements(By.cssSelector(".card"))).isEmpty();
        BROWSER.driver().findElement(By.id("sign")).click();
        awaitStatus("order-sign: no cards");
        BROWSER.driver().findElement(By.cssSelector("#exchange summary")).click();
        assertThat(BROWSER.driver().findElement(By.id("response-json")).getText()).contains("\"cards\": []");
        BROWSER.screenshot("non-pump");
    }

    @Test
    void cardMarkdownBecomesTextAndSafeLinksOnly() {
        JavascriptExecutor page = (JavascriptExecutor) BROWSER.driver();
        Object escaped = page.executeScript("const d = Markdown.render(arguments[0]); return [d.querySelectorAll('a').length, d.textContent];",
                "- **Drug \\[Verify\\](https://evil.example/x)** &gt; 50% <img src=x onerror=alert(1)>");
        assertThat(escaped.toString()).isEqualTo("[0, Drug [Verify](https://evil.example/x) > 50% <img src=x onerror=alert(1)>]");
        Object links = page.executeScript("const d = Markdown.render(arguments[0]); "
                + "return Array.from(d.querySelectorAll('a'), a => a.getAttribute('href')).join(' ');",
                "[policy](https://www.cms.gov/x) [bad](javascript:alert(1)) [worse](data:text/html,x)");
        assertThat(links).isEqualTo("https://www.cms.gov/x");
    }

    @Test
    void readableAtPhoneWidthWithoutSidewaysScrolling() {
        BROWSER.driver().manage().window().setSize(new Dimension(390, 844));
        awaitCards();
        Object overflow = ((JavascriptExecutor) BROWSER.driver()).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
    }

    /** Picks the patient (and with it the patient's usual order) and waits for the answer to that call. */
    private void choosePatient(String patientId) {
        int before = answered();
        BROWSER.driver().findElement(By.id("patient-" + patientId)).click();
        wait.until(d -> answered() > before && !d.findElement(By.id("status")).getText().startsWith("Calling"));
    }

    private int answered() {
        String answer = BROWSER.driver().findElement(By.id("cards")).getDomAttribute("data-answer");
        return answer == null ? 0 : Integer.parseInt(answer);
    }

    private void awaitStatus(String prefix) {
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith(prefix));
    }

    private List<WebElement> awaitCards() {
        return wait.until(d -> {
            List<WebElement> cards = d.findElements(By.cssSelector("#cards .card"));
            return cards.isEmpty() ? null : cards;
        });
    }

    private static List<String> indicators(List<WebElement> cards) {
        return cards.stream().map(c -> c.getDomAttribute("data-indicator")).toList();
    }

    private List<String> storedFeedback(String cardUuid) {
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT service_id, outcome, override_reason_code, "
                        + "user_comment FROM feedback WHERE card_uuid = ? ORDER BY id")) {
            query.setString(1, cardUuid);
            List<String> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= 4; i++) {
                        if (result.getString(i) != null) {
                            columns.add(result.getString(i));
                        }
                    }
                    rows.add(String.join(" ", columns));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
