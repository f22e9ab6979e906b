package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Past sibyl.http.max_concurrent_requests a request is answered OVERLOADED at once; probes always pass. */
class AdmissionLimitTest {
    static ActorSystem system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create("admission-test");
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void requestsPastTheLimitAreOverloadedAtOnceAndSlotsFreeOnCompletion() throws Exception {
        CompletableFuture<HttpResponse> gate = new CompletableFuture<>();
        AdmissionLimit limit = new AdmissionLimit(r -> gate, 4, Materializer.matFromSystem(system));
        List<CompletionStage<HttpResponse>> admitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) admitted.add(limit.apply(HttpRequest.create("/v1/cql")));
        assertEquals(4, limit.inFlight());
        for (int i = 0; i < 36; i++) {
            HttpResponse r = limit.apply(HttpRequest.create("/v1/cql")).toCompletableFuture().getNow(null);
            assertEquals(429, r.status().intValue(), "answered at once, without waiting for the admitted ones");
            String body = r.entity().toStrict(1000, Materializer.matFromSystem(system)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS).getData().utf8String();
            assertTrue(body.contains("\"OVERLOADED\""), body);
        }
        assertEquals(36, limit.rejected());
        CompletionStage<HttpResponse> probe = limit.apply(HttpRequest.create("/health"));
        assertFalse(probe.toCompletableFuture().isDone(), "a probe is admitted past the limit");
        gate.complete(Responses.okEmpty());
        for (CompletionStage<HttpResponse> a : admitted) {
            assertEquals(200, a.toCompletableFuture().get(5, TimeUnit.SECONDS).status().intValue());
        }
        assertEquals(0, limit.inFlight());
        assertEquals(200, limit.apply(HttpRequest.create("/v1/cql")).toCompletableFuture().get(5, TimeUnit.SECONDS)
                .status().intValue());
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        AdmissionLimit limit = new AdmissionLimit(r -> new CompletableFuture<>(), 0, Materializer.matFromSystem(system));
        for (int i = 0; i < 1000; i++) {
            assertFalse(limit.apply(HttpRequest.create("/v1/cql")).toCompletableFuture().isDone());
        }
        assertEquals(0, limit.rejected());
    }

    @Test
    void probesAreTheThreeProbePathsOnly() {
        for (String p : List.of("/health", "/ready", "/metrics", "/health?x=1")) {
            assertTrue(AdmissionLimit.isProbe(HttpRequest.create(p)), p);
        }
        for (String p : List.of("/", "/healthz", "/health/x", "/v1/health", "/v1/keyspaces/ks/tables/t/rows/ready", "/metrics/")) {
            assertFalse(AdmissionLimit.isProbe(HttpRequest.create(p)), p);
        }
    }
}
