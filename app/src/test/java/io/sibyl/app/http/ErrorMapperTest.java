package io.sibyl.app.http;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.ring.NodeId;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMapperTest {

    @Test
    void aCoordinatorSheddingLoadAnswersOverloaded429() {
        ErrorMapper.ApiError e = ErrorMapper.toError(
                new CompletionException(new OverloadedException(NodeId.of("n2"), 1024)), "test");
        assertEquals("OVERLOADED", e.code());
        assertEquals(429, e.status());
        assertTrue(e.message().contains("n2"), e.message());
    }

    @Test
    void writeTimeoutsCarryTheirCounts() {
        ErrorMapper.ApiError e = ErrorMapper.toError(
                new WriteTimeoutException(ConsistencyLevel.QUORUM, 1, 2, WriteType.SIMPLE), "test");
        assertEquals("WRITE_TIMEOUT", e.code());
        assertEquals(504, e.status());
        assertEquals(1, e.details().get("received"));
        assertEquals(2, e.details().get("block_for"));
        assertEquals("SIMPLE", e.details().get("write_type"));
    }
}
