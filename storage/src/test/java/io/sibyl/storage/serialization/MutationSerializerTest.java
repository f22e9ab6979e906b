package io.sibyl.storage.serialization;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.EventsWorkload;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MutationSerializerTest {

    private static final TableMetadata EVENTS = TestTables.events();

    private static TableMetadata lookup(UUID id) {
        return id.equals(EVENTS.id()) ? EVENTS : null;
    }

    /** Any merged sequence of writes (rows, statics, TTLs, collections, range and partition deletions) round-trips. */
    @Property(tries = 300)
    void roundTripsEveryKindOfUpdate(@ForAll("ops") List<EventsWorkload.OpSpec> ops) {
        EventsWorkload w = new EventsWorkload();
        List<PartitionUpdate> byKey = new ArrayList<>();
        for (EventsWorkload.Write write : w.writes(ops)) {
            byKey.add(write.update());
        }
        for (PartitionUpdate u : byKey) {
            Mutation m = Mutation.of(u);
            byte[] bytes = MutationSerializer.serialize(m);
            Mutation back = MutationSerializer.deserialize(bytes, MutationSerializerTest::lookup, id -> {
                throw new AssertionError("unknown " + id);
            });
            assertEquals(m.keyspace(), back.keyspace());
            assertEquals(m.key(), back.key());
            assertEquals(m.updates(), back.updates());
            assertArrayEquals(bytes, MutationSerializer.serialize(back), "encoding is deterministic");
        }
        PartitionUpdate merged = PartitionUpdate.merge(byKey.stream().filter(u -> u.key().equals(byKey.get(0).key())).toList());
        assertEquals(merged, MutationSerializer.deserialize(MutationSerializer.serialize(Mutation.of(merged)),
                MutationSerializerTest::lookup, id -> { }).updates().get(0));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<EventsWorkload.OpSpec>> ops() {
        return EventsWorkload.ops().list().ofMinSize(1).ofMaxSize(12);
    }

    @Test
    void updatesOfUnknownTablesAreSkippedAndReported() {
        TableMetadata other = new TableMetadata("ks", "other", UUID.randomUUID(), List.of(
                ColumnMetadata.partitionKey("pk", TestTypes.BIGINT, 0),
                ColumnMetadata.regular("x", TestTypes.TEXT)), TableParams.DEFAULT);
        var key = TestTables.key(1);
        PartitionUpdate a = PartitionUpdate.builder(EVENTS, key)
                .add(Row.of(Clustering.of(TestTypes.bigint(1), TestTypes.bigint(2)), LivenessInfo.create(5, 0, 100),
                        DeletionTime.LIVE, List.of(Cell.live("v1", TestTypes.bigint(9), 5)), Map.of()))
                .build();
        PartitionUpdate b = PartitionUpdate.builder(other, key)
                .add(Row.of(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE, List.of(Cell.live("x", TestTypes.text("hi"), 7)), Map.of()))
                .build();
        byte[] bytes = MutationSerializer.serialize(new Mutation("ks", key, List.of(b, a)));
        List<UUID> unknown = new ArrayList<>();
        Mutation back = MutationSerializer.deserialize(bytes, MutationSerializerTest::lookup, unknown::add);
        assertEquals(List.of(other.id()), unknown);
        assertEquals(List.of(a), back.updates());
        assertNull(MutationSerializer.deserialize(MutationSerializer.serialize(Mutation.of(b)), MutationSerializerTest::lookup, id -> { }));
    }

    @Test
    void truncatedBytesAreRejectedNotMisread() {
        PartitionUpdate u = PartitionUpdate.builder(EVENTS, TestTables.key(2))
                .add(Row.of(Clustering.of(TestTypes.bigint(1), TestTypes.bigint(2)), LivenessInfo.create(5, 10, 100),
                        DeletionTime.LIVE, List.of(Cell.expiring("v2", null, TestTypes.text("abc"), 5, 10, 100)), Map.of()))
                .build();
        byte[] bytes = MutationSerializer.serialize(Mutation.of(u));
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(bytes, cut);
            assertThrows(MalformedDataException.class,
                    () -> MutationSerializer.deserialize(part, MutationSerializerTest::lookup, id -> { }), "cut at " + cut);
        }
    }

    @Test
    void encodingIsCompact() {
        PartitionUpdate u = PartitionUpdate.builder(EVENTS, TestTables.key(2))
                .add(Row.of(Clustering.of(TestTypes.bigint(1), TestTypes.bigint(2)), LivenessInfo.create(1_700_000_000_000_000L, 0, 100),
                        DeletionTime.LIVE, List.of(Cell.live("v1", TestTypes.bigint(3), 1_700_000_000_000_000L)), Map.of()))
                .build();
        int size = MutationSerializer.serialize(Mutation.of(u)).length;
        // keyspace 3 + token 8 + key 9 + count 1 + table id 16 + length 1 + dictionary 4 + base 8 + flags 1
        // + row count 1 + row (flags 1, clustering 19, liveness 1, cells 1 + cell 1+1+1+9) = 86
        assertTrue(size <= 90, "encoded size " + size);
    }
}
