package io.sibyl.storage.flush;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlushPolicyTest {

    static final UUID A = new UUID(0, 1);
    static final UUID B = new UUID(0, 2);
    static final UUID C = new UUID(0, 3);

    @Test
    void nothingToFlushUnderTheThreshold() {
        var usage = List.of(new FlushPolicy.MemtableUsage(A, 40), new FlushPolicy.MemtableUsage(B, 60));
        assertEquals(Optional.empty(), FlushPolicy.tableToFlush(usage, 100));
    }

    @Test
    void theLargestMemtableFlushesOncePastTheThreshold() {
        var usage = List.of(new FlushPolicy.MemtableUsage(A, 40), new FlushPolicy.MemtableUsage(B, 61),
                new FlushPolicy.MemtableUsage(C, 5));
        assertEquals(Optional.of(B), FlushPolicy.tableToFlush(usage, 100));
    }

    @Test
    void aTableWhoseEarlierFlushStillRunsIsFlushedAgainOncePastTheThreshold() {
        // Only current memtables are listed (flushing ones no longer count), so a table that keeps
        // filling is switched again even while its first flush is being written.
        assertEquals(Optional.of(B), FlushPolicy.tableToFlush(List.of(new FlushPolicy.MemtableUsage(B, 101)), 100));
        assertEquals(Optional.empty(), FlushPolicy.tableToFlush(List.of(new FlushPolicy.MemtableUsage(B, 100)), 100));
    }

    @Test
    void emptyMemtablesAreNeverChosen() {
        var usage = List.of(new FlushPolicy.MemtableUsage(A, 0), new FlushPolicy.MemtableUsage(B, 0));
        assertEquals(Optional.empty(), FlushPolicy.tableToFlush(usage, -1));
    }
}
