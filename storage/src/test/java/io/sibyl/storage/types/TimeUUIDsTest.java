package io.sibyl.storage.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeUUIDsTest {

    @Test
    void nextIsVersionOneAndStrictlyIncreasing() {
        List<byte[]> made = new ArrayList<>();
        long before = System.currentTimeMillis();
        for (int i = 0; i < 50_000; i++) {
            UUID u = TimeUUIDs.next();
            assertEquals(1, u.version());
            assertEquals(2, u.variant());
            made.add(TimeuuidType.INSTANCE.serialize(u));
        }
        for (int i = 1; i < made.size(); i++) {
            assertTrue(TimeuuidType.INSTANCE.compare(made.get(i - 1), made.get(i)) < 0, "at " + i);
        }
        long first = TimeUUIDs.unixMillis((UUID) TimeuuidType.INSTANCE.deserialize(made.get(0)));
        assertTrue(first >= before && first <= System.currentTimeMillis() + 10, "time of the first UUID");
    }

    @Test
    void minAndMaxBoundEveryUuidOfTheirMillisecond() {
        long millis = 1_763_683_200_000L;
        UUID min = TimeUUIDs.minFor(millis);
        UUID max = TimeUUIDs.maxFor(millis);
        assertEquals(millis, TimeUUIDs.unixMillis(min));
        assertEquals(millis, TimeUUIDs.unixMillis(max));
        byte[] minBytes = TimeuuidType.INSTANCE.serialize(min);
        byte[] maxBytes = TimeuuidType.INSTANCE.serialize(max);
        for (long lsb : new long[] {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8080808080808080L, 0x7f7f7f7f7f7f7f7fL}) {
            for (long tick = 0; tick < 10_000; tick += 3_333) {
                long ts = TimeUUIDs.minFor(millis).timestamp() + tick;
                byte[] u = TimeuuidType.INSTANCE.serialize(TimeUUIDs.of(ts, lsb));
                assertTrue(TimeuuidType.INSTANCE.compare(minBytes, u) <= 0);
                assertTrue(TimeuuidType.INSTANCE.compare(u, maxBytes) <= 0);
            }
        }
        assertTrue(TimeuuidType.INSTANCE.compare(maxBytes,
                TimeuuidType.INSTANCE.serialize(TimeUUIDs.minFor(millis + 1))) < 0);
    }
}
