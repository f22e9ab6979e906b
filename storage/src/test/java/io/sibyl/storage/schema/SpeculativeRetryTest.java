package io.sibyl.storage.schema;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeculativeRetryTest {

    @Test
    void parsesCassandrasFormsAndPrintsTheCanonicalOne() {
        assertEquals(SpeculativeRetry.DEFAULT, SpeculativeRetry.parse("99p"));
        assertEquals(SpeculativeRetry.DEFAULT, SpeculativeRetry.parse("99PERCENTILE"));
        assertEquals(SpeculativeRetry.percentile(95.5), SpeculativeRetry.parse(" 95.5P "));
        assertEquals(SpeculativeRetry.fixedMillis(10), SpeculativeRetry.parse("10ms"));
        assertEquals(SpeculativeRetry.fixedMillis(2.5), SpeculativeRetry.parse("2.5MS"));
        assertSame(SpeculativeRetry.ALWAYS, SpeculativeRetry.parse("always"));
        assertSame(SpeculativeRetry.NONE, SpeculativeRetry.parse("NONE"));
        for (String s : new String[]{"99p", "95.5p", "10ms", "2.5ms", "0ms", "ALWAYS", "NONE"}) {
            assertEquals(s, SpeculativeRetry.parse(s).toString(), "round trip of " + s);
        }
        assertEquals("99p", SpeculativeRetry.parse("99.0PERCENTILE").toString());
    }

    @Test
    void refusesValuesCassandraRefuses() {
        for (String s : new String[]{"", "p", "99", "100p", "0p", "-5ms", "ms", "10s", "MIN(99p,10ms)", "sometimes", "1e3ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpeculativeRetry.parse(s), s);
            assertTrue(e.getMessage().contains("speculative_retry"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SpeculativeRetry.parse(null));
    }

    @Test
    void tableParamsDefaultToNinetyNinthPercentile() {
        assertEquals(SpeculativeRetry.DEFAULT, TableParams.DEFAULT.speculativeRetry());
        TableParams p = TableParams.DEFAULT.withSpeculativeRetry(SpeculativeRetry.NONE).withComment("c").withGcGraceSeconds(5);
        assertEquals(SpeculativeRetry.NONE, p.speculativeRetry());
        assertEquals("c", p.comment());
    }
}
