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

import io.sibyl.storage.commitlog.CommitLogConfig;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.testutil.TestEngine;
import io.sibyl.storage.testutil.TestStreams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model-based tests: random write sequences applied to the engine and to {@link ReferenceModel}, then
 * full, sliced, reversed, limited and range reads must agree — also for the durable engine with flushes,
 * clean restarts and crashes (close without flush, replay from the commit log) at random points.
 */
class TableStoreModelTest {

    @Provide
    Arbitrary<List<EventsWorkload.OpSpec>> sequences() {
        return EventsWorkload.ops().list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 300)
    void tableStoreReadsMatchTheModel(@ForAll("sequences") List<EventsWorkload.OpSpec> ops, @ForAll long readSeed) {
        EventsWorkload w = new EventsWorkload();
        TableStore store = TestEngine.freshTable(w.table);
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

    /**
     * Tiny chunks, blocks and segments, so a few writes already span chunks, row index blocks and segments.
     * Periodic sync keeps fsyncs out of the loop: a crash here is "close without flush", which loses nothing
     * written to the file either way (real fsync behaviour is CommitLogTest's and the kill -9 test's job).
     */
    static final StorageSettings SMALL = StorageSettings.defaults()
            .withSSTable(new SSTableConfig(256, 64, 0.01, 2))
            .withCommitLog(CommitLogConfig.DEFAULT.withSegmentSize(4096).withSync(io.sibyl.storage.commitlog.CommitLogSync.PERIODIC))
            .withKeyCacheSize(1 << 20)
            .withFileCacheSize(1 << 20); // both caches on (off by default), so both meet flushes and compactions

    @Property(tries = 40)
    void durableEngineMatchesTheModelAcrossFlushesRestartsAndCrashes(@ForAll("sequences") List<EventsWorkload.OpSpec> ops,
                                                                     @ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("sibyl-model");
        EventsWorkload w = new EventsWorkload();
        Random rnd = new Random(seed);
        ReferenceModel model = new ReferenceModel();
        List<String> history = new ArrayList<>();
        StorageEngine engine = openDurable(dir, w);
        try {
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            for (EventsWorkload.Write write : w.writes(ops)) {
                pending.add(engine.write(Mutation.of(write.update())).toCompletableFuture());
                write.model().accept(model);
                history.add(write.description());
                int step = rnd.nextInt(16);
                if (step < 5) {
                    awaitAll(pending);
                }
                if (step < 2) {
                    engine.flush(w.table.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    history.add("FLUSH");
                } else if (step == 2) {
                    engine.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    engine = openDurable(dir, w);
                    history.add("RESTART");
                } else if (step == 3 || step == 4) {
                    engine.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    engine = openDurable(dir, w);
                    history.add("CRASH");
                }
            }
            awaitAll(pending);
            ModelCheck.check(w.table, durable(engine, w), model, w.now(), seed, history);
            engine.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS);
            engine = openDurable(dir, w);
            history.add("CRASH");
            ModelCheck.check(w.table, durable(engine, w), model, w.now(), seed + 1, history);
        } finally {
            engine.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            deleteRecursively(dir);
        }
    }

    private static StorageEngine openDurable(Path dir, EventsWorkload w) throws IOException {
        StorageEngine e = StorageEngine.open(dir, SMALL, id -> id.equals(w.table.id()) ? w.table : null,
                TestStreams.materializer());
        e.createTable(w.table);
        return e;
    }

    private static ModelCheck.Engine durable(StorageEngine engine, EventsWorkload w) {
        TableStore store = engine.table(w.table.id());
        return new ModelCheck.Engine() {
            @Override
            public ReadResult read(SinglePartitionReadCommand c) {
                return store.read(c);
            }

            @Override
            public ReadResult scan(PartitionRangeReadCommand c) {
                return store.scan(c);
            }
        };
    }

    private static void awaitAll(List<CompletableFuture<Void>> pending) throws Exception {
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        pending.clear();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
