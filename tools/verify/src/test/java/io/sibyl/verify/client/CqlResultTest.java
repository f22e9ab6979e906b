package io.sibyl.verify.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CqlResultTest {

    @Test
    void onlyAnswersThatPromiseNothingWasDoneAreDefiniteFailures() {
        assertTrue(new CqlResult(400, null, null).certainlyNotApplied());
        assertTrue(new CqlResult(429, null, null).certainlyNotApplied());
        assertTrue(new CqlResult(503, null, null).certainlyNotApplied());
        assertTrue(new CqlResult(CqlResult.NOT_CONNECTED, null, "refused").certainlyNotApplied());
        assertFalse(new CqlResult(504, null, null).certainlyNotApplied());
        assertFalse(new CqlResult(500, null, null).certainlyNotApplied());
        assertFalse(new CqlResult(502, null, null).certainlyNotApplied());
        assertFalse(new CqlResult(0, null, "timeout").certainlyNotApplied());
    }

    @Test
    void aRefusedConnectionIsNotConnected() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CqlResult r = new CqlClient(Duration.ofSeconds(2)).execute("http://127.0.0.1:" + port, "SELECT 1", List.of(), "ONE", null);
        assertTrue(r.status() == CqlResult.NOT_CONNECTED, r.describe());
    }
}
