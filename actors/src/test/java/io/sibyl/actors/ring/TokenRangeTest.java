package io.sibyl.actors.ring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRangeTest {

    @Test
    void containsIsLeftExclusiveRightInclusive() {
        TokenRange r = new TokenRange(10, 20);
        assertFalse(r.contains(10));
        assertTrue(r.contains(11));
        assertTrue(r.contains(20));
        assertFalse(r.contains(21));
        assertFalse(r.wraps());
    }

    @Test
    void wrappingRange() {
        TokenRange r = new TokenRange(100, -100);
        assertTrue(r.wraps());
        assertTrue(r.contains(Long.MAX_VALUE));
        assertTrue(r.contains(Long.MIN_VALUE));
        assertTrue(r.contains(-100));
        assertFalse(r.contains(100));
        assertFalse(r.contains(0));
    }

    @Test
    void fractionUsesUnsignedWidth() {
        assertEquals(1.0, new TokenRange(5, 5).fraction());
        assertEquals(0.5, new TokenRange(Long.MIN_VALUE, 0).fraction(), 1e-15);
        assertEquals(0.5, new TokenRange(0, Long.MIN_VALUE).fraction(), 1e-15);
        assertEquals(1.0 / 0x1p64, new TokenRange(Long.MAX_VALUE, Long.MIN_VALUE).fraction(), 1e-30);
        assertEquals(new TokenRange(1, 0).fraction() + new TokenRange(0, 1).fraction(), 1.0, 1e-15);
    }
}
