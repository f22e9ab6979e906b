package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.actors.consistency.ConsistencyLevel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests past sibyl.http.request_timeout answer the API's JSON errors, never pekko-http's plain-text 503. */
class RequestTimeoutTest {
    static ActorSystem system;
    static ServerBinding binding;

    @BeforeAll
    static void bind() throws Exception {
        system = ActorSystem.create("request-timeout-test");
        HttpApi api = new HttpApi(Materializer.matFromSystem(system), 1 << 20)
                .withTimeouts(Duration.ofMillis(400), Duration.ofMillis(1500));
        api.get("/never-read", r -> {
            r.timeout().answerAs(RequestTimeout.Kind.READ, ConsistencyLevel.QUORUM);
            return new CompletableFuture<>();
        });
        api.post("/never-written", r -> {
            r.timeout().answerAs(RequestTimeout.Kind.WRITE, ConsistencyLevel.ONE);
            return new CompletableFuture<>();
        });
        api.post("/never-other", r -> new CompletableFuture<>());
        api.post("/admin-slow", r -> {
            r.timeout().useAdminTimeout();
            return CompletableFuture.supplyAsync(() -> Responses.okEmpty(),
                    CompletableFuture.delayedExecutor(800, TimeUnit.MILLISECONDS));
        });
        api.post("/admin-never", r -> {
            r.timeout().useAdminTimeout();
            return new CompletableFuture<>();
        });
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(api).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    private static JsonNode error(RawHttp.Answer a) throws Exception {
        return Json.MAPPER.readTree(a.body()).get("error");
    }

    private static RawHttp.Answer send(String method, String path) throws Exception {
        return RawHttp.send(binding.localAddress().getPort(), method, path, new byte[0], 10_000);
    }

    @Test
    void aReadPastTheTimeoutAnswersReadTimeoutJson() throws Exception {
        long t0 = System.nanoTime();
        RawHttp.Answer a = send("GET", "/never-read");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(504, a.status(), a.body());
        assertEquals("READ_TIMEOUT", error(a).get("code").asText());
        assertEquals("QUORUM", error(a).get("consistency").asText());
        assertEquals(400, error(a).get("timeout_ms").asLong());
        assertTrue(ms >= 350 && ms < 5000, "answered after " + ms + " ms");
    }

    @Test
    void aWritePastTheTimeoutAnswersWriteTimeoutJson() throws Exception {
        RawHttp.Answer a = send("POST", "/never-written");
        assertEquals(504, a.status(), a.body());
        assertEquals("WRITE_TIMEOUT", error(a).get("code").asText());
        assertEquals("ONE", error(a).get("consistency").asText());
    }

    @Test
    void otherRequestsPastTheTimeoutAnswerServerErrorJson() throws Exception {
        RawHttp.Answer a = send("POST", "/never-other");
        assertEquals(500, a.status(), a.body());
        assertEquals("SERVER_ERROR", error(a).get("code").asText());
        assertTrue(error(a).get("message").asText().contains("sibyl.http.request_timeout"), a.body());
    }

    @Test
    void adminOperationsGetTheLongerTimeout() throws Exception {
        RawHttp.Answer slow = send("POST", "/admin-slow");
        assertEquals(200, slow.status(), "800 ms is past request_timeout but within admin_request_timeout: " + slow.body());
        long t0 = System.nanoTime();
        RawHttp.Answer never = send("POST", "/admin-never");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(500, never.status(), never.body());
        assertTrue(error(never).get("message").asText().contains("sibyl.http.admin_request_timeout"), never.body());
        assertTrue(ms >= 1400, "answered after " + ms + " ms");
    }
}
