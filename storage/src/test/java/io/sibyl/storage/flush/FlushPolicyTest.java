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
        var usage = List.of(new FlushPolicy.MemtableUsage(A, 40, false), new FlushPolicy.MemtableUsage(B, 60, false));
        assertEquals(Optional.empty(), FlushPolicy.tableToFlush(usage, 100));
    }

    @Test
    void theLargestMemtableFlushesOncePastTheThreshold() {
        var usage = List.of(new FlushPolicy.MemtableUsage(A, 40, false), new FlushPolicy.MemtableUsage(B, 61, false),
                new FlushPolicy.MemtableUsage(C, 5, false));
        assertEquals(Optional.of(B), FlushPolicy.tableToFlush(usage, 100));
    }

    @Test
    void aTableAlreadyFlushingIsSkippedButStillCounts() {
        var usage = List.of(new FlushPolicy.MemtableUsage(A, 40, false), new FlushPolicy.MemtableUsage(B, 90, true));
        assertEquals(Optional.of(A), FlushPolicy.tableToFlush(usage, 100));
        assertEquals(Optional.empty(), FlushPolicy.tableToFlush(List.of(new FlushPolicy.MemtableUsage(B, 190, true)), 100));
    }
}
