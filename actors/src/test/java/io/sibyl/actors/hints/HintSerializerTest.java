package io.sibyl.actors.hints;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Positive;
import net.jqwik.api.constraints.Size;

class HintSerializerTest {

    final HintSerializer serializer = new HintSerializer();

    private Object roundTrip(Object o) throws NotSerializableException {
        return serializer.fromBinary(serializer.toBinary(o), serializer.manifest(o));
    }

    @Property(tries = 100)
    void hintStoredRoundTrips(@ForAll long createdAt, @ForAll @IntRange(min = 0) int ttl,
                              @ForAll @Size(max = 3) List<Long> tableSeeds, @ForAll byte[] mutation) throws Exception {
        List<UUID> tables = tableSeeds.stream().map(l -> new UUID(l, ~l)).toList();
        HintEvent.HintStored e = new HintEvent.HintStored(createdAt, ttl, tables, mutation);
        HintEvent.HintStored back = (HintEvent.HintStored) roundTrip(e);
        assertEquals(createdAt, back.createdAtMillis());
        assertEquals(ttl, back.ttlSeconds());
        assertEquals(tables, back.tableIds());
        assertArrayEquals(mutation, back.mutation());
    }

    @Property(tries = 50)
    void deliveredAndSnapshotsRoundTrip(@ForAll long upTo, @ForAll @Positive long nextId,
                                        @ForAll @Size(max = 5) List<byte[]> mutations) throws Exception {
        assertEquals(new HintEvent.HintsDelivered(upTo), roundTrip(new HintEvent.HintsDelivered(upTo)));
        List<PendingHint> hints = new ArrayList<>();
        for (int i = 0; i < mutations.size(); i++) {
            hints.add(new PendingHint(i + 1, 1000L * i, 60 + i, List.of(UUID.randomUUID()), mutations.get(i)));
        }
        HintQueueSnapshot back = (HintQueueSnapshot) roundTrip(new HintQueueSnapshot(nextId, hints));
        assertEquals(nextId, back.nextId());
        assertEquals(hints.size(), back.hints().size());
        for (int i = 0; i < hints.size(); i++) {
            PendingHint a = hints.get(i);
            PendingHint b = back.hints().get(i);
            assertEquals(List.of(a.id(), a.createdAtMillis(), (long) a.ttlSeconds()), List.of(b.id(), b.createdAtMillis(), (long) b.ttlSeconds()));
            assertEquals(a.tableIds(), b.tableIds());
            assertArrayEquals(a.mutation(), b.mutation());
        }
    }

    @Property(tries = 50)
    void truncatedBytesAreRejected(@ForAll @Size(min = 1, max = 50) byte[] mutation) {
        byte[] bytes = serializer.toBinary(new HintEvent.HintStored(1, 2, List.of(), mutation));
        assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(Arrays.copyOf(bytes, bytes.length - 1), HintSerializer.STORED));
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(bytes, "nope"));
    }
}
