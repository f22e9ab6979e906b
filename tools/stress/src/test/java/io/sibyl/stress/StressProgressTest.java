package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StressProgressTest {

    @Test
    void withoutATerminalEveryIntervalIsOneLine() {
        StringWriter buf = new StringWriter();
        PrintWriter out = new PrintWriter(buf, true);
        try (StressProgress p = StressProgress.start(out, Duration.ofSeconds(1), Duration.ofSeconds(2))) {
            assertFalse(p.isBar(), "no console (as under surefire): lines");
            p.interval(1_000_000_000L, "warmup", 1234.4, 0.5, 2.25, 0, "", 12.0);
            p.interval(2_500_000_000L, "measure", 2000, 0.25, 1.5, 3, "  rows/s     20000", 40.0);
        }
        var lines = buf.toString().lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("[   1.0s] warmup  ops/s      1234  p50    0.500 ms  p99    2.250 ms  errors 0  client cpu 12%", lines.get(0));
        assertEquals("[   2.5s] measure ops/s      2000  rows/s     20000  p50    0.250 ms  p99    1.500 ms  errors 3  client cpu 40%",
                lines.get(1));
    }

    @Test
    void aBarWritesNoLinesToTheOutput() {
        StringWriter buf = new StringWriter();
        PrintWriter out = new PrintWriter(buf, true);
        try (StressProgress p = StressProgress.start(out, Duration.ZERO, Duration.ofSeconds(3), true)) {
            assertTrue(p.isBar());
            p.interval(1_000_000_000L, "measure", 1000, 0.5, 2, 0, "", 10);
        }
        // the bar draws on the console (stderr), the output keeps only the run's own lines and summary
        assertEquals("", buf.toString());
    }
}
