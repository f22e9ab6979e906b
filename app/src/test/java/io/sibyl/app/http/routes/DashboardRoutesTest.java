package io.sibyl.app.http.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.app.http.HttpApi;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DashboardRoutesTest {
    static ActorSystem system;
    static HttpApi api;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("dashboard-routes-test");
        api = new HttpApi(Materializer.matFromSystem(system), 1024);
        new DashboardRoutes().register(api);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    private static HttpResponse get(String uri) throws Exception {
        return api.apply(HttpRequest.GET(uri)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String body(HttpResponse r) {
        return ((HttpEntity.Strict) r.entity()).getData().decodeString(StandardCharsets.UTF_8);
    }

    @Test
    void uiServesTheIndexPageWithASameOriginPolicy() throws Exception {
        for (String path : new String[] {"/ui", "/ui/", "/ui/index.html"}) {
            HttpResponse r = get(path);
            assertEquals(200, r.status().intValue(), path);
            assertEquals("text/html; charset=UTF-8", r.entity().getContentType().toString(), path);
            assertTrue(body(r).contains("<title>Sibyl dashboard</title>"), path);
            assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY,
                    r.getHeader("Content-Security-Policy").orElseThrow().value(), path);
        }
    }

    @Test
    void rootRedirectsToTheDashboard() throws Exception {
        HttpResponse r = get("/");
        assertEquals(302, r.status().intValue());
        assertEquals("/ui/", r.getHeader("Location").orElseThrow().value());
    }

    /** Every file the page and its modules name is in the jar, with its type: no request leaves the node. */
    @Test
    void everyReferencedAssetIsServedWithItsType() throws Exception {
        String index = body(get("/ui/"));
        Matcher m = Pattern.compile("(?:src|href)=\"(/ui/[^\"]+)\"").matcher(index);
        int found = 0;
        while (m.find()) {
            found++;
            HttpResponse r = get(m.group(1));
            assertEquals(200, r.status().intValue(), m.group(1));
        }
        assertTrue(found >= 5, "index.html references " + found + " assets");
        assertTrue(!index.contains("http://") && !index.contains("https://"), "no external URL in index.html");
        String app = body(get("/ui/js/app.js"));
        assertEquals("text/javascript; charset=UTF-8", get("/ui/js/app.js").entity().getContentType().toString());
        Matcher imports = Pattern.compile("from '\\./([a-z]+\\.js)'").matcher(app);
        while (imports.find()) {
            assertEquals(200, get("/ui/js/" + imports.group(1)).status().intValue(), imports.group(1));
        }
        assertEquals("text/css; charset=UTF-8", get("/ui/dashboard.css").entity().getContentType().toString());
    }

    @Test
    void pathsOutsideTheDashboardOrUnknownAre404() throws Exception {
        for (String path : new String[] {"/ui/nope.js", "/ui/../logback.xml", "/ui/%2e%2e/logback.xml",
                "/ui/js/..%2F..%2Flogback.xml", "/ui/js", "/ui/reference.conf", "/ui/vendor/uplot/LICENSE"}) {
            HttpResponse r = get(path);
            assertEquals(404, r.status().intValue(), path + ": " + body(r));
            assertTrue(body(r).contains("NOT_FOUND"), path);
        }
    }
}
