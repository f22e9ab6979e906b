package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
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
                    .until(d -> {
                        String sstables = (String) browser.executeScript(
                                "const r = document.querySelector(\"#tables tr[data-table='shop.orders']\");"
                                        + "return r ? r.cells[1].textContent : null;");
                        return sstables != null && !sstables.equals("0");
                    });
            wait.withMessage(() -> "an endpoint the page reads failed: " + connection(browser))
                    .until(d -> "live".equals(d.findElement(By.id("connection")).getDomAttribute("data-state")));

            assertWindowedPercentilesFromHistogramBuckets(browser);
            assertClusterTotalsArithmetic(browser);

            // the cluster totals: every node's metrics read (n2's and n3's through n1), requests summed
            wait.withMessage(() -> "cluster totals not from all three nodes: " + text(browser, ".cluster-panel"))
                    .until(d -> "3".equals(d.findElement(By.id("cluster-totals")).getDomAttribute("data-answered"))
                            && text(browser, "#total-requests").matches("[0-9.]+\\s*client requests/s"));
            assertTrue(text(browser, "#total-nodes").startsWith("3/3"), text(browser, "#total-nodes"));
            assertFalse(text(browser, "#total-load").startsWith("?"), text(browser, "#total-load"));
            assertEquals(3, browser.findElements(By.cssSelector("#node-rates tbody tr[data-node]")).size(), text(browser, "#node-rates"));

            String victim = Clusters.id(three.get(2));
            three.get(2).kill9();
            new WebDriverWait(browser, DOWN_WAIT, Duration.ofMillis(250))
                    .withMessage(() -> "killed node " + victim + " not shown DN: " + rows(browser))
                    .until(d -> "DN".equals(stateShown(browser, victim)));
            for (String id : byId.keySet()) {
                if (!id.equals(victim)) assertEquals("UN", stateShown(browser, id), rows(browser));
            }
            assertTrue(text(browser, "#summary").contains("2/3 up"), text(browser, "#summary"));
            wait.withMessage(() -> "cluster totals still count the killed node: " + text(browser, ".cluster-panel"))
                    .until(d -> text(browser, "#total-nodes").startsWith("2/3"));
            saveScreenshot(browser);
        } finally {
            browser.quit();
        }
    }

    /**
     * A node that answers 401 (authentication on): the page asks for credentials and then sends them as
     * HTTP Basic on every request. The node is a stand-in HTTP server serving the jar's ui/ files, so this
     * needs no cluster.
     */
    @Test
    void asksForCredentialsOn401AndSendsThemAsBasic() throws Exception {
        HeadlessChrome.requireInstalled();
        String expected = "Basic " + Base64.getEncoder().encodeToString("admin:s\u00e9cret".getBytes(StandardCharsets.UTF_8));
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body;
            int status;
            if (path.startsWith("/ui/")) {
                String file = path.equals("/ui/") ? "index.html" : path.substring(4);
                try (var in = DashboardIT.class.getClassLoader().getResourceAsStream("ui/" + file)) {
                    status = in == null ? 404 : 200;
                    body = in == null ? new byte[0] : in.readAllBytes();
                }
                exchange.getResponseHeaders().set("Content-Type", file.endsWith(".js") ? "text/javascript"
                        : file.endsWith(".css") ? "text/css" : file.endsWith(".svg") ? "image/svg+xml" : "text/html");
            } else {
                seen.add(path + " " + auth);
                status = !expected.equals(auth) ? 401 : path.equals("/v1/cluster") ? 200 : 404;
                body = (status == 200 ? "{\"node\":\"a\",\"ring_version\":1,\"epoch\":1,\"schema_agreement\":true,"
                        + "\"nodes\":[{\"id\":\"a\",\"address\":\"127.0.0.1\",\"http_port\":1,\"dc\":\"dc1\","
                        + "\"rack\":\"r1\",\"state\":\"UN\",\"load\":1,\"num_tokens\":1,\"tokens\":[\"0\"],"
                        + "\"primary_ownership\":1.0,\"ownership\":{},\"schema_version\":\"v\"}]}"
                        : "{\"error\":{\"code\":\"" + (status == 401 ? "UNAUTHORIZED" : "NOT_FOUND") + "\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        ChromeDriver browser = HeadlessChrome.start();
        try {
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/ui/?interval=500");
            WebDriverWait wait = new WebDriverWait(browser, UI_WAIT, Duration.ofMillis(100));
            wait.withMessage(() -> "no sign-in dialog; requests: " + seen)
                    .until(d -> d.findElement(By.id("login")).getDomProperty("open").equals("true"));
            assertNull(stateShown(browser, "a"), "nothing is shown before sign-in");
            browser.findElement(By.name("user")).sendKeys("admin");
            browser.findElement(By.name("password")).sendKeys("s\u00e9cret");
            browser.findElement(By.cssSelector("#login button[type=submit]")).click();
            wait.withMessage(() -> "node not shown after sign-in; requests: " + seen)
                    .until(d -> "UN".equals(stateShown(browser, "a")));
            assertTrue(seen.contains("/v1/cluster " + expected), seen.toString());
            assertEquals("false", browser.findElement(By.id("login")).getDomProperty("open"));
        } finally {
            browser.quit();
            server.stop(0);
        }
    }

    /**
     * The latency chart's arithmetic, run in the page's own module: Prometheus text with two series of one
     * histogram, and the percentiles of the observations between two scrapes (not since the node started).
     */
    private static void assertWindowedPercentilesFromHistogramBuckets(ChromeDriver browser) {
        Object result = browser.executeAsyncScript(String.join("\n",
                "const done = arguments[arguments.length - 1];",
                "import('/ui/js/metrics.js').then(m => {",
                "  const text = (a, b) => ['# TYPE x_seconds histogram',",
                "    `x_seconds_bucket{table=\"a\",le=\"0.001\"} ${a[0]}`, `x_seconds_bucket{table=\"a\",le=\"0.01\"} ${a[1]}`,",
                "    `x_seconds_bucket{table=\"a\",le=\"+Inf\"} ${a[2]}`, `x_seconds_count{table=\"a\"} ${a[2]}`,",
                "    `x_seconds_bucket{table=\"b\",le=\"0.001\"} ${b[0]}`, `x_seconds_bucket{table=\"b\",le=\"0.01\"} ${b[1]}`,",
                "    `x_seconds_bucket{table=\"b\",le=\"+Inf\"} ${b[2]}`, `x_seconds_count{table=\"b\"} ${b[2]}`].join('\\n');",
                "  const s = new m.Scrapes(30);",
                "  s.add(0, m.parse(text([1000, 1000, 1000], [0, 0, 0])));",       // before the window: 1000 fast ones
                "  s.add(2000, m.parse(text([1050, 1100, 1100], [0, 100, 100])));", // in it: 50 < 1 ms, 150 in 1..10 ms
                "  done([s.rate('x_seconds_count'), s.quantile('x_seconds', 0.5), s.quantile('x_seconds', 0.99)]);",
                "}).catch(e => done(String(e)));"));
        assertTrue(result instanceof List<?>, String.valueOf(result));
        List<?> r = (List<?>) result;
        assertEquals(100.0, ((Number) r.get(0)).doubleValue(), 1e-9, "200 observations in 2 s: " + r);
        assertEquals(0.004, ((Number) r.get(1)).doubleValue(), 1e-9, "p50: rank 100, 50 into the 1..10 ms bucket of 150: " + r);
        assertEquals(0.00988, ((Number) r.get(2)).doubleValue(), 1e-9, "p99: rank 198, 148 into it: " + r);
    }

    /**
     * The cluster totals' arithmetic, run in the page's own module with scripted metrics: request rates add up
     * over the live nodes (a node that coordinated nothing counts 0/s), the p99 is the worst node's, the load
     * is every node's, a down node is not asked.
     */
    private static void assertClusterTotalsArithmetic(ChromeDriver browser) {
        Object result = browser.executeAsyncScript(String.join("\n",
                "const done = arguments[arguments.length - 1];",
                "import('/ui/js/cluster.js').then(async m => {",
                "  const metrics = (count, fast, all, hints) => [",
                "    `sibyl_coordinator_requests_seconds_bucket{kind=\"read\",le=\"0.001\"} ${fast}`,",
                "    `sibyl_coordinator_requests_seconds_bucket{kind=\"read\",le=\"0.01\"} ${all}`,",
                "    `sibyl_coordinator_requests_seconds_bucket{kind=\"read\",le=\"+Inf\"} ${all}`,",
                "    `sibyl_coordinator_requests_seconds_count{kind=\"read\"} ${count}`, `sibyl_hints_pending{} ${hints}`].join('\\n');",
                "  const cluster = {node: 'a', nodes: [{id: 'a', state: 'UN', load: 100}, {id: 'b', state: 'UN', load: 50},",
                "    {id: 'c', state: 'UN', load: 7}, {id: 'd', state: 'DN', load: 1}]};",
                "  let round = 0; const asked = [];",
                "  const fetchText = async path => { asked.push(path);",
                "    if (path.includes('/b/')) return round === 0 ? metrics(10, 10, 10, 1) : metrics(30, 20, 30, 1);",
                "    if (path.includes('/c/')) return 'sibyl_hints_pending{} 2';",
                "    throw new Error('asked ' + path); };",
                "  const t = new m.ClusterTotals(30);",
                "  await t.update(cluster, 0, metrics(0, 0, 0, 0), fetchText);",
                "  round = 1;",
                "  const r = await t.update(cluster, 2000, metrics(100, 100, 100, 0), fetchText);",
                "  done([r.requestsPerSecond, r.maxP99Seconds, r.load, r.hintsPending, r.live, r.answered, asked.some(p => p.includes('/d/'))]);",
                "}).catch(e => done(String(e)));"));
        assertTrue(result instanceof List<?>, String.valueOf(result));
        List<?> r = (List<?>) result;
        assertEquals(60.0, ((Number) r.get(0)).doubleValue(), 1e-9, "50/s + 10/s + 0/s: " + r);
        assertEquals(0.00982, ((Number) r.get(1)).doubleValue(), 1e-9, "b's p99 (rank 19.8 of 20, 9.8 into the 1..10 ms bucket of 10): " + r);
        assertEquals(158.0, ((Number) r.get(2)).doubleValue(), 1e-9, "load of every node: " + r);
        assertEquals(3.0, ((Number) r.get(3)).doubleValue(), 1e-9, "hints summed: " + r);
        assertEquals(List.of(3L, 3L, false), List.of(((Number) r.get(4)).longValue(), ((Number) r.get(5)).longValue(), r.get(6)),
                "three live, three answered, the down node not asked: " + r);
    }

    private static void ok(SibylClient.Answer a) {
        assertEquals(200, a.status(), a.body().toString());
    }

    /** The state badge of a node's row, read in one script: the page re-renders rows on every poll. */
    private static String stateShown(ChromeDriver browser, String id) {
        return (String) browser.executeScript(
                "const r = document.querySelector(`#nodes tr.node-row[data-node-id='${arguments[0]}']`);"
                        + "return r ? r.querySelector('span.state').textContent : null;", id);
    }

    private static String rows(ChromeDriver browser) {
        return text(browser, "#nodes") + " | " + connection(browser);
    }

    /** The header badge's tooltip: the endpoints that failed on the last poll. */
    private static String connection(ChromeDriver browser) {
        return browser.findElement(By.id("connection")).getDomAttribute("title");
    }

    private static String text(ChromeDriver browser, String css) {
        return (String) browser.executeScript("return document.querySelector(arguments[0]).innerText;", css);
    }

    private static void saveScreenshot(ChromeDriver browser) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of(System.getProperty("sibyl.test.workdir", "target")).resolveSibling("dashboard.png");
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        // to refresh the README's picture: -Dsibyl.docs.images=docs/images (a plain run leaves the tree clean)
        String docs = System.getProperty("sibyl.docs.images");
        if (docs != null) {
            Files.createDirectories(Path.of(docs));
            Files.copy(shot, Path.of(docs, "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
