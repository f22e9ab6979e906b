package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that writes its whole oversized body before reading (Python's urllib, many SDKs) gets the
 * 413 PAYLOAD_TOO_LARGE JSON, not a reset connection: the node reads and discards the rest first.
 */
class OversizedBodyDrainTest {
    static final int LIMIT = 16 << 20;
    static ActorSystem system;
    static ServerBinding binding;

    @BeforeAll
    static void bind() throws Exception {
        system = ActorSystem.create("oversized-body-test");
        HttpApi api = new HttpApi(Materializer.matFromSystem(system), LIMIT);
        api.post("/echo-size", r -> r.body().thenApply(b -> Responses.ok(java.util.Map.of("bytes", b.length))));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(api).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void a48MiBBodyWrittenWholeBeforeReadingGetsThe413Json() throws Exception {
        byte[] body = new byte[48 << 20];
        java.util.Arrays.fill(body, (byte) 'x');
        RawHttp.Answer a = RawHttp.send(binding.localAddress().getPort(), "POST", "/echo-size", body, 60_000);
        assertEquals(413, a.status(), a.body());
        assertEquals("PAYLOAD_TOO_LARGE", Json.MAPPER.readTree(a.body()).get("error").get("code").asText());
        assertEquals(LIMIT, Json.MAPPER.readTree(a.body()).get("error").get("limit").asLong());
    }

    @Test
    void aChunked48MiBBodyWrittenWholeBeforeReadingGetsThe413Json() throws Exception {
        byte[] body = new byte[48 << 20];
        RawHttp.Answer a = RawHttp.sendChunked(binding.localAddress().getPort(), "POST", "/echo-size", body, 60_000);
        assertEquals(413, a.status(), a.body());
        assertEquals("PAYLOAD_TOO_LARGE", Json.MAPPER.readTree(a.body()).get("error").get("code").asText());
    }

    @Test
    void aChunkedBodyWithinTheLimitIsRead() throws Exception {
        RawHttp.Answer a = RawHttp.sendChunked(binding.localAddress().getPort(), "POST", "/echo-size", new byte[3 << 20], 30_000);
        assertEquals(200, a.status(), a.body());
        assertEquals(3 << 20, Json.MAPPER.readTree(a.body()).get("bytes").asInt());
    }

    @Test
    void aBodyWithinTheLimitIsRead() throws Exception {
        RawHttp.Answer a = RawHttp.send(binding.localAddress().getPort(), "POST", "/echo-size", new byte[1 << 20], 30_000);
        assertEquals(200, a.status(), a.body());
        assertEquals(1 << 20, Json.MAPPER.readTree(a.body()).get("bytes").asInt());
    }

    @Test
    void theDrainBoundIsTwiceTheLimitAndAtLeast64MiB() {
        assertEquals(64L << 20, OversizedBodyDrain.bound(LIMIT));
        assertEquals(256L << 20, OversizedBodyDrain.bound(128L << 20));
    }
}
