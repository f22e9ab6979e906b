package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DurationConverterTest {

    @Test
    void parsesUnits() {
        assertEquals(Duration.ofSeconds(60), DurationConverter.parse("60s"));
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("1m30s"));
        assertEquals(Duration.ofNanos(250_000), DurationConverter.parse("250us"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ZERO, DurationConverter.parse("0s"));
    }

    @Test
    void bareNumberIsSeconds() {
        assertEquals(Duration.ofSeconds(10), DurationConverter.parse("10"));
        assertEquals(Duration.ofSeconds(10), DurationConverter.parse(" 10S "));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse(""));
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("s"));
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("10x"));
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("1m30"));
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("-5s"));
        assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("1..2s"));
    }

    @Property
    void formatThenParseRoundTripsMillis(@ForAll @LongRange(min = 0, max = 10_000_000) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertEquals(d, DurationConverter.parse(DurationConverter.format(d)));
    }
}
