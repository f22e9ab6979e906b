package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void zeroPaddedFixedWidth() {
        assertEquals("user000000000000", Keys.user(0));
        assertEquals("user000000000042", Keys.user(42));
        assertEquals("user999999999999", Keys.user(999_999_999_999L));
        assertEquals("device000007", Keys.device(7));
        assertEquals("device009999", Keys.device(9999));
    }

    @Test
    void appendMatchesString() {
        StringBuilder sb = new StringBuilder("x");
        Keys.appendUser(sb, 123);
        assertEquals("x" + Keys.user(123), sb.toString());
    }

    @Test
    void negativeRejected() {
        assertThrows(IllegalArgumentException.class, () -> Keys.user(-1));
    }

    @Property
    void keysAreDistinctSameWidthAndOrdered(@ForAll @LongRange(min = 0, max = 999_999_999_998L) long n) {
        String a = Keys.user(n);
        String b = Keys.user(n + 1);
        assertEquals(16, a.length());
        assertEquals(a.length(), b.length());
        assertTrue(a.compareTo(b) < 0, a + " < " + b);
        assertEquals(n, Long.parseLong(a.substring(4)));
    }
}
