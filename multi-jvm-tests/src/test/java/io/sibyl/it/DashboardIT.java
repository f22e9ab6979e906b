package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web dashboard in a real headless browser (Debian's chromium + chromium-driver, see {@link HeadlessChrome}):
 * served by n1 of a three-node cluster it lists every node UN, draws their tokens on the ring, shows a table
 * with its SSTables; after n3 is killed it shows n3 DN while n1 keeps answering. Saves a screenshot to
 * target/ and to docs/images/dashboard.png (the README's picture).
 */
class DashboardIT {
    private static final List<NodeProcess> NODES = new ArrayList<>();
    private static final Duration UI_WAIT = Duration.ofSeconds(20);
    private static final Duration DOWN_WAIT = Duration.ofSeconds(45);

    @AfterAll
    static void stop() throws Exception {
        for (NodeProcess n : NODES) n.close();
    }

    @Test
    void showsEveryNodeAndSeesAKilledOneGoDown() throws Exception {
        HeadlessChrome.requireInstalled(); // fails, does not skip, when chromium is missing
        List<NodeProcess> three = Clusters.startThreeNodes("DashboardIT", NODES);
        NodeProcess n1 = three.get(0);
        ChromeDriver browser = HeadlessChrome.start();
        try {
            Map<String, NodeProcess> byId = new TreeMap<>();
            for (NodeProcess n : three) byId.put(Clusters.id(n), n);

            browser.get(n1.baseUrl() + "/ui/?interval=1000");
            WebDriverWait wait = new WebDriverWait(browser, UI_WAIT, Duration.ofMillis(200));
            for (String id : byId.keySet()) {
                wait.withMessage(() -> "node " + id + " not shown UN: " + rows(browser))
                        .until(d -> "UN".equals(stateShown(browser, id)));
            }
            assertEquals(3, browser.findElements(By.cssSelector("#nodes tr.node-row")).size(), rows(browser));
            int tokens = Clusters.cluster(n1).path("nodes").findValues("tokens").stream().mapToInt(t -> t.size()).sum();
            assertEquals(tokens, browser.findElements(By.cssSelector("#ring path.range")).size(), "one arc per token");

            // some traffic and an SSTable, so that the charts and the table panel have something to show
            SibylClient c1 = SibylClient.of(n1.baseUrl());
            ok(c1.cql("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"));
            ok(c1.cql("CREATE TABLE shop.orders (id int PRIMARY KEY, item text, qty int)"));
            for (int i = 0; i < 300; i++) {
                ok(c1.cql("INSERT INTO shop.orders (id, item, qty) VALUES (?, ?, ?)", i, "item-" + (i % 17), i % 5));
                if (i % 3 == 0) ok(c1.cql("SELECT * FROM shop.orders WHERE id = ?", i));
            }
            ok(c1.post("/v1/admin/flush?keyspace=shop", ""));
            wait.withMessage(() -> "shop.orders not shown with an SSTable: " + text(browser, "#tables"))
                    .until(d -> d.findElements(By.cssSelector("#tables tr[data-table='shop.orders']")).stream()
                            .anyMatch(r -> !r.findElements(By.tagName("td")).get(1).getText().equals("0")));
            assertEquals("live", browser.findElement(By.id("connection")).getAttribute("data-state"),
                    "every endpoint the page reads answered: " + browser.findElement(By.id("connection")).getAttribute("title"));

            String victim = Clusters.id(three.get(2));
            three.get(2).kill9();
            new WebDriverWait(browser, DOWN_WAIT, Duration.ofMillis(250))
                    .withMessage(() -> "killed node " + victim + " not shown DN: " + rows(browser))
                    .until(d -> "DN".equals(stateShown(browser, victim)));
            for (String id : byId.keySet()) {
                if (!id.equals(victim)) assertEquals("UN", stateShown(browser, id), rows(browser));
            }
            assertTrue(text(browser, "#summary").contains("2/3 up"), text(browser, "#summary"));
            saveScreenshot(browser);
        } finally {
            browser.quit();
        }
    }

    private static void ok(SibylClient.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
    }

    private static String stateShown(ChromeDriver browser, String id) {
        List<WebElement> row = browser.findElements(By.cssSelector("#nodes tr.node-row[data-node-id='" + id + "']"));
        return row.isEmpty() ? null : row.get(0).findElement(By.cssSelector("span.state")).getText();
    }

    private static String rows(ChromeDriver browser) {
        return text(browser, "#nodes") + " | " + browser.findElement(By.id("connection")).getAttribute("title");
    }

    private static String text(ChromeDriver browser, String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void saveScreenshot(ChromeDriver browser) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(System.getProperty("sibyl.test.workdir", "target")).resolveSibling("dashboard.png");
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("sibyl.docs.images");
        if (docs != null) {
            Files.createDirectories(Path.of(docs));
            Files.copy(shot, Path.of(docs, "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
