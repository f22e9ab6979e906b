package io.sibyl.storage.serialization;

import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.engine.EventsWorkload;
import io.sibyl.storage.schema.UnknownTableException;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.ReadThresholds;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Round trips of the inter-node encodings of read commands and read results. */
class ReadCommandSerializerTest {

    private static final TableMetadata EVENTS = TestTables.events();

    private static TableMetadata lookup(UUID id) {
        return id.equals(EVENTS.id()) ? EVENTS : null;
    }

    @Provide
    Arbitrary<ClusteringFilter> filters() {
        Arbitrary<byte[][]> prefix = Arbitraries.longs().between(-5, 5).map(TestTypes::bigint)
                .list().ofMaxSize(2).map(l -> l.toArray(new byte[0][]));
        Arbitrary<Slice> slice = Combinators.combine(prefix, prefix, Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((a, b, ia, ib) -> new Slice(ClusteringBound.start(ia, a), ClusteringBound.end(ib, b)));
        Arbitrary<Set<String>> columns = Arbitraries.of("s", "v1", "v2", "tags").set().ofMaxSize(3).injectNull(0.4);
        return Combinators.combine(slice.list().ofMinSize(1).ofMaxSize(3), Arbitraries.of(true, false), columns)
                .as(ClusteringFilter::new);
    }

    @Provide
    Arbitrary<DataLimits> limits() {
        return Combinators.combine(Arbitraries.integers().between(1, Integer.MAX_VALUE).edgeCases(e -> e.add(Integer.MAX_VALUE)),
                Arbitraries.integers().between(1, Integer.MAX_VALUE)).as(DataLimits::new);
    }

    @Provide
    Arbitrary<DecoratedKey> keys() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .as(DecoratedKey::new);
    }

    @Property(tries = 300)
    void singlePartitionCommandsRoundTrip(@ForAll("keys") DecoratedKey key, @ForAll("filters") ClusteringFilter filter,
                                          @ForAll("limits") DataLimits limits, @ForAll int now) {
        SinglePartitionReadCommand c = new SinglePartitionReadCommand(EVENTS, key, filter, now, limits);
        DataOutputBuffer out = new DataOutputBuffer();
        ReadCommandSerializer.serialize(c, out);
        DataInputBuffer in = new DataInputBuffer(out.toByteArray());
        SinglePartitionReadCommand back = ReadCommandSerializer.deserializeSingle(in, ReadCommandSerializerTest::lookup);
        assertEquals(0, in.remaining());
        assertEquals(c.metadata(), back.metadata());
        assertEquals(c.key(), back.key());
        assertEquals(c.filter(), back.filter());
        assertEquals(c.nowInSec(), back.nowInSec());
        assertEquals(c.limits(), back.limits());
        DataOutputBuffer again = new DataOutputBuffer();
        ReadCommandSerializer.serialize(back, again);
        assertArrayEquals(out.toByteArray(), again.toByteArray(), "encoding is deterministic");
    }

    @Property(tries = 300)
    void rangeCommandsRoundTrip(@ForAll("keys") DecoratedKey start, @ForAll("keys") DecoratedKey end,
                                @ForAll boolean startInclusive, @ForAll boolean endInclusive, @ForAll boolean open,
                                @ForAll("filters") ClusteringFilter filter, @ForAll("limits") DataLimits limits,
                                @ForAll int now) {
        KeyRange range = new KeyRange(start, startInclusive, open ? null : end, endInclusive);
        PartitionRangeReadCommand c = new PartitionRangeReadCommand(EVENTS, range, filter, now, limits);
        DataOutputBuffer out = new DataOutputBuffer();
        ReadCommandSerializer.serialize(c, out);
        DataInputBuffer in = new DataInputBuffer(out.toByteArray());
        PartitionRangeReadCommand back = ReadCommandSerializer.deserializeRange(in, ReadCommandSerializerTest::lookup);
        assertEquals(0, in.remaining());
        assertEquals(c.range().start(), back.range().start());
        assertEquals(c.range().end(), back.range().end());
        assertEquals(c.range().startInclusive(), back.range().startInclusive());
        assertEquals(c.range().endInclusive(), back.range().endInclusive());
        assertEquals(c.filter(), back.filter());
        assertEquals(c.nowInSec(), back.nowInSec());
        assertEquals(c.limits(), back.limits());
    }

    /** Whatever a replica reads (tombstones, statics, TTLs, collections) reaches the coordinator unchanged. */
    @Property(tries = 200)
    void readResultsRoundTrip(@ForAll("ops") List<EventsWorkload.OpSpec> ops, @ForAll("limits") DataLimits limits,
                              @ForAll boolean reversed) {
        EventsWorkload w = new EventsWorkload();
        Memtable memtable = new Memtable(EVENTS);
        for (EventsWorkload.Write write : w.writes(ops)) {
            memtable.apply(write.update());
        }
        ClusteringFilter filter = ClusteringFilter.ALL.withReversed(reversed);
        PartitionRangeReadCommand scan = new PartitionRangeReadCommand(EVENTS, KeyRange.all(), filter, w.now(), limits);
        ReadResult r = scan.execute(List.of(memtable), new ReadThresholds(7, Long.MAX_VALUE));
        byte[] bytes = ReadResultSerializer.serialize(r);
        DataInputBuffer in = new DataInputBuffer(bytes);
        ReadResult back = ReadResultSerializer.deserialize(in, ReadCommandSerializerTest::lookup);
        assertEquals(0, in.remaining());
        assertEquals(r.partitions(), back.partitions());
        assertEquals(r.filter(), back.filter());
        assertEquals(r.nowInSec(), back.nowInSec());
        assertEquals(r.limitReached(), back.limitReached());
        assertArrayEquals(r.digest(), back.digest());
        assertEquals(r.stats().tombstonesScanned(), back.stats().tombstonesScanned());
        assertEquals(r.stats().liveRowsScanned(), back.stats().liveRowsScanned());
        assertEquals(r.stats().warnings(), back.stats().warnings());
        assertEquals(r.filtered().size(), back.filtered().size());
        assertArrayEquals(bytes, ReadResultSerializer.serialize(back), "encoding is deterministic");
    }

    @Provide
    Arbitrary<List<EventsWorkload.OpSpec>> ops() {
        return EventsWorkload.ops().list().ofMaxSize(15);
    }

    @Test
    void unknownTablesFailTheDecodeByName() {
        SinglePartitionReadCommand c = SinglePartitionReadCommand.fullPartition(EVENTS, TestTables.key(1), 10);
        DataOutputBuffer out = new DataOutputBuffer();
        ReadCommandSerializer.serialize(c, out);
        UnknownTableException e = assertThrows(UnknownTableException.class,
                () -> ReadCommandSerializer.deserializeSingle(new DataInputBuffer(out.toByteArray()), id -> null));
        assertEquals(EVENTS.id(), e.tableId());
    }

    @Test
    void truncatedBytesAreMalformedNotGarbage() {
        List<PartitionUpdate> none = new ArrayList<>();
        ReadResult r = new ReadResult(EVENTS, ClusteringFilter.ALL, 5, none, null, false);
        byte[] bytes = ReadResultSerializer.serialize(r);
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(bytes, cut);
            assertThrows(MalformedDataException.class,
                    () -> ReadResultSerializer.deserialize(new DataInputBuffer(part), ReadCommandSerializerTest::lookup));
        }
    }
}
