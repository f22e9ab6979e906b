package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Chromium for browser tests, from the system's packages (Debian: {@code chromium},
 * {@code chromium-driver}); paths can be overridden with {@code -Dsibyl.chromium=} and
 * {@code -Dsibyl.chromedriver=}. Selenium Manager is never asked to download anything: both paths are
 * given and {@code SE_OFFLINE=true} is set for the test JVM (multi-jvm-tests/pom.xml). A missing browser
 * fails the test with what to install: CI installs it (.ci/run), so a skip would hide a broken setup.
 */
final class HeadlessChrome {
    private HeadlessChrome() {
    }

    private static Path browser() {
        return Path.of(System.getProperty("sibyl.chromium", "/usr/bin/chromium"));
    }

    private static Path driver() {
        return Path.of(System.getProperty("sibyl.chromedriver", "/usr/bin/chromedriver"));
    }

    /** Fails the test (before it starts a cluster) when Chromium or its driver is missing. */
    static void requireInstalled() {
        Path browser = browser();
        Path driver = driver();
        if (!Files.isExecutable(browser) || !Files.isExecutable(driver)) {
            fail("browser tests need Chromium and its driver: " + browser + " and " + driver + " must exist. "
                    + "On Debian/Ubuntu: apt-get install -y chromium chromium-driver (.ci/run does this), "
                    + "or point -Dsibyl.chromium= and -Dsibyl.chromedriver= at them.");
        }
    }

    static ChromeDriver start() throws IOException {
        requireInstalled();
        Path browser = browser();
        Path driver = driver();
        Path profile = Files.createTempDirectory("sibyl-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1440,1300", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(driver.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }
}
