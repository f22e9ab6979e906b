package io.sibyl.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.commitlog.MutationTooLargeException;
import io.sibyl.storage.read.TombstoneOverwhelmingException;
import io.sibyl.storage.sstable.CorruptSSTableException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Storage failures become docs/api.md errors, never SERVER_ERROR. */
class ErrorMapperTest {

    @Test
    void tombstoneFailureThresholdIsAReadFailureWithReasons() {
        var e = new TombstoneOverwhelmingException(1001, 1000, " in ks.t");
        ErrorMapper.ApiError err = ErrorMapper.toError(new CompletionException(e), "test");
        assertEquals("READ_FAILURE", err.code());
        assertEquals(502, err.status());
        Map<?, ?> reasons = (Map<?, ?>) err.details().get("reasons");
        assertEquals(e.getMessage(), reasons.get(EngineExceptionTranslator.LOCAL_REPLICA));
        assertEquals(1000L, err.details().get("threshold"));
        assertTrue(err.message().contains("tombstone_failure_threshold"), err.message());
    }

    @Test
    void corruptSSTableChunkIsAReadFailureNamingTheSSTable() {
        Path file = Path.of("/data/ks/t-00/sa-3-Data.db");
        var e = new CorruptSSTableException(file, "chunk 2 at offset 131072: checksum mismatch", null);
        // wrapped twice, as a stream or executor may hand it over
        ErrorMapper.ApiError err = ErrorMapper.toError(new CompletionException(new UncheckedIOException(
                "read failed", new java.io.IOException(e))), "test");
        assertEquals("READ_FAILURE", err.code());
        assertEquals(502, err.status());
        assertEquals(file.toString(), err.details().get("sstable"));
        assertTrue(err.message().contains("sa-3-Data.db") && err.message().contains("chunk 2"), err.message());
        Map<?, ?> reasons = (Map<?, ?>) err.details().get("reasons");
        assertTrue(String.valueOf(reasons.get("local")).contains("sa-3-Data.db"), reasons.toString());
    }

    @Test
    void mutationTooLargeForTheCommitLogIsPayloadTooLargeWithTheLimit() {
        var e = new MutationTooLargeException(20_000_000, 16_777_216);
        ErrorMapper.ApiError err = ErrorMapper.toError(new CompletionException(e), "test");
        assertEquals("PAYLOAD_TOO_LARGE", err.code());
        assertEquals(413, err.status());
        assertEquals(16_777_216L, err.details().get("limit"));
        assertTrue(err.message().contains("20000000"), err.message());
    }

    @Test
    void anUnknownFailureIsStillAServerError() {
        ErrorMapper.ApiError err = ErrorMapper.toError(new IllegalStateException("bug"), "test");
        assertEquals("SERVER_ERROR", err.code());
        assertEquals(500, err.status());
    }

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
