package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ResponseClassifierTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void errorsUseTheApiCodeOrTheStatus() {
        assertEquals(new Outcome.Failure("UNAVAILABLE"), ResponseClassifier.classify(Operation.Kind.WRITE, 1, 503,
                b("{\"error\": {\"code\" : \"UNAVAILABLE\", \"message\": \"x\"}}")));
        assertEquals(new Outcome.Failure("HTTP_502"), ResponseClassifier.classify(Operation.Kind.READ, 1, 502, b("bad gateway")));
        assertEquals(new Outcome.Failure("HTTP_404"), ResponseClassifier.classify(Operation.Kind.READ, 1, 404, new byte[0]));
    }

    @Test
    void successes() {
        assertEquals(new Outcome.Success(1, false), ResponseClassifier.classify(Operation.Kind.WRITE, 1, 200, b("{}")));
        assertEquals(new Outcome.Success(1, true), ResponseClassifier.classify(Operation.Kind.READ, 1, 200, b("{\"columns\":[],\"rows\": [ ]}")));
        assertEquals(new Outcome.Success(1, false), ResponseClassifier.classify(Operation.Kind.READ, 1, 200, b("{\"rows\":[{\"y_id\":\"a\"}]}")));
        assertEquals(new Outcome.Success(50, false), ResponseClassifier.classify(Operation.Kind.BULK, 50, 200,
                b("{\"written\": 50, \"failed\": 0, \"errors\": []}")));
    }

    @Test
    void partlyFailedBulkIsAnError() {
        assertEquals(new Outcome.Failure("BULK_ROWS_FAILED"), ResponseClassifier.classify(Operation.Kind.BULK, 50, 200,
                b("{\"written\": 48, \"failed\": 12, \"errors\": [{\"line\": 3, \"error\": {\"code\": \"INVALID\"}}]}")));
    }

    @Test
    void transportFailures() {
        assertEquals("TIMEOUT", ResponseClassifier.classify(new CompletionException(new HttpTimeoutException("t"))).code());
        assertEquals("CONNECTION_REFUSED", ResponseClassifier.classify(new ConnectException("no")).code());
        assertEquals("CONNECTION_ERROR", ResponseClassifier.classify(new java.io.IOException("reset")).code());
    }
}
