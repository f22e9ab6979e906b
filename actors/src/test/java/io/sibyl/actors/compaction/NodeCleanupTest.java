package io.sibyl.actors.compaction;

import io.sibyl.actors.ring.TokenRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeCleanupTest {

    @Test
    void ownedTokensFollowTheRangesIncludingWrappingOnes() {
        LongPredicate owned = NodeCleanup.owned(List.of(new TokenRange(-100, 100), new TokenRange(1000, -1000)));
        assertTrue(owned.test(100), "right bound included");
        assertFalse(owned.test(-100), "left bound excluded");
        assertTrue(owned.test(0));
        assertFalse(owned.test(500));
        assertTrue(owned.test(Long.MAX_VALUE), "the wrapping range covers the end of the ring");
        assertTrue(owned.test(Long.MIN_VALUE));
        assertTrue(owned.test(-1000), "the wrapping range's right bound is included");
        assertFalse(owned.test(-999));
        assertFalse(NodeCleanup.owned(List.of()).test(0), "no ranges: nothing owned");
    }
}
