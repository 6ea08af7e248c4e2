package org.pumpcds.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its chromedriver (packages chromium and chromium-driver; .ci/run installs
 * them). Paths may be changed with -Dbrowser.chromium= and -Dbrowser.chromedriver=. Selenium Manager is never
 * asked to download a browser: the build has no such network. Registered as a static extension, it starts before
 * the class's tests and quits after them; a failing test leaves a screenshot in target/browser-screenshots/.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    public static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

    private WebDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
    }

    private void start() {
        Path chromium = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            throw new IllegalStateException("browser tests need Chromium and its driver at " + chromium + " and "
                    + chromedriver + ": apt-get install -y chromium chromium-driver (as .ci/run does), or set "
                    + "-Dbrowser.chromium= and -Dbrowser.chromedriver=");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // the flags a closed network and a root user need: no sandbox, no background fetches to Google
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Saves what the page shows now as target/browser-screenshots/{name}.png. */
    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver != null) {
            screenshot("FAILED-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
        }
    }
}
