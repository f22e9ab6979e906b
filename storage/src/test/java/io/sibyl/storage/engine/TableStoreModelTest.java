package io.sibyl.storage.engine;

import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.testutil.TestTables;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model-based tests: random write sequences applied to the engine and to {@link ReferenceModel}, then
 * full, sliced, reversed, limited and range reads must agree.
 */
class TableStoreModelTest {

    @Provide
    Arbitrary<List<EventsWorkload.OpSpec>> sequences() {
        return EventsWorkload.ops().list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void tableStoreReadsMatchTheModel(@ForAll("sequences") List<EventsWorkload.OpSpec> ops, @ForAll long readSeed) {
        EventsWorkload w = new EventsWorkload();
        TableStore store = new TableStore(w.table);
        ReferenceModel model = new ReferenceModel();
        List<EventsWorkload.Write> writes = w.writes(ops);
        for (EventsWorkload.Write write : writes) {
            store.apply(write.update());
            write.model().accept(model);
        }
        ModelCheck.Engine engine = new ModelCheck.Engine() {
            @Override
            public ReadResult read(SinglePartitionReadCommand c) {
                return store.read(c);
            }

            @Override
            public ReadResult scan(PartitionRangeReadCommand c) {
                return store.scan(c);
            }
        };
        ModelCheck.check(w.table, engine, model, w.now(), readSeed, writes);
    }

    /**
     * The same writes split across several memtables, listed in any order, read back exactly as from one
     * memtable (unfiltered results and digests equal) and as the model says: merging commutes and associates.
     */
    @Property(tries = 200)
    void mergingSplitSourcesEqualsOneMemtable(@ForAll("sequences") List<EventsWorkload.OpSpec> ops,
                                              @ForAll long splitSeed) {
        EventsWorkload w = new EventsWorkload();
        List<EventsWorkload.Write> writes = w.writes(ops);
        Random rnd = new Random(splitSeed);
        int k = 2 + rnd.nextInt(3);
        List<Memtable> parts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            parts.add(new Memtable(w.table));
        }
        Memtable whole = new Memtable(w.table);
        ReferenceModel model = new ReferenceModel();
        List<EventsWorkload.Write> shuffled = new ArrayList<>(writes);
        Collections.shuffle(shuffled, rnd);
        for (EventsWorkload.Write write : writes) {
            whole.apply(write.update());
            write.model().accept(model);
        }
        for (EventsWorkload.Write write : shuffled) {
            parts.get(rnd.nextInt(k)).apply(write.update());
        }
        List<PartitionSource> split = new ArrayList<>(parts);
        Collections.shuffle(split, rnd);
        for (int now : new int[]{w.now(), w.now() + 3}) {
            for (boolean reversed : new boolean[]{false, true}) {
                for (int limit : new int[]{1, 3, DataLimits.NO_LIMIT}) {
                    PartitionRangeReadCommand scan = new PartitionRangeReadCommand(w.table, KeyRange.all(),
                            ClusteringFilter.ALL.withReversed(reversed), now, DataLimits.rows(limit));
                    ReadResult expected = scan.execute(List.of(whole));
                    ReadResult actual = scan.execute(split);
                    assertEquals(expected.partitions(), actual.partitions(), () -> "split " + k + " ways: " + writes);
                    assertArrayEquals(expected.digest(), actual.digest());
                    for (long pk : ModelCheck.RING_ORDER) {
                        SinglePartitionReadCommand read = new SinglePartitionReadCommand(w.table, TestTables.key(pk),
                                ClusteringFilter.ALL.withReversed(reversed), now, DataLimits.rows(limit));
                        assertEquals(read.execute(List.of(whole)).partitions(), read.execute(split).partitions());
                    }
                }
            }
        }
        ModelCheck.check(w.table, ModelCheck.Engine.of(split), model, w.now(), splitSeed, writes);
    }
}
