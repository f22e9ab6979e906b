package io.sibyl.storage.read;

import io.sibyl.storage.data.DecoratedKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRangeTest {

    private static DecoratedKey key(long token, int b) {
        return new DecoratedKey(token, new byte[]{(byte) b});
    }

    @Test
    void tokenRangesAreStartExclusiveEndInclusive() {
        KeyRange r = KeyRange.tokens(10, 20);
        assertFalse(r.contains(key(10, 0)));
        assertFalse(r.contains(key(10, 255)));
        assertTrue(r.contains(key(11, 0)));
        assertTrue(r.contains(key(20, 255)));
        assertFalse(r.contains(key(21, 0)));
    }

    @Test
    void minTokenEndMeansTheEndOfTheRing() {
        KeyRange r = KeyRange.tokens(10, Long.MIN_VALUE);
        assertTrue(r.contains(key(Long.MAX_VALUE, 1)));
        assertFalse(r.contains(key(10, 1)));
        assertTrue(KeyRange.tokens(Long.MIN_VALUE, Long.MIN_VALUE).contains(key(Long.MIN_VALUE + 1, 0)));
    }

    @Test
    void wrappingRangesSplitInTwo() {
        List<KeyRange> parts = KeyRange.tokensWrapping(20, 10);
        assertEquals(2, parts.size());
        assertTrue(parts.get(0).contains(key(30, 0)));
        assertTrue(parts.get(1).contains(key(-5, 0)));
        assertTrue(parts.stream().noneMatch(p -> p.contains(key(15, 0))));
        assertThrows(IllegalArgumentException.class, () -> KeyRange.tokens(20, 10));
    }

    @Test
    void pagingFromAKeyExcludesIt() {
        KeyRange r = KeyRange.fromKey(key(5, 3), false, Long.MIN_VALUE);
        assertFalse(r.contains(key(5, 3)));
        assertTrue(r.contains(key(5, 4)));
        assertFalse(r.contains(key(5, 2)));
    }
}
