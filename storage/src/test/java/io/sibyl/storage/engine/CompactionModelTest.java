package io.sibyl.storage.engine;

import io.sibyl.storage.compaction.Compaction;
import io.sibyl.storage.compaction.CompactionPlanner;
import io.sibyl.storage.compaction.CompactionTask;
import io.sibyl.storage.compaction.CompactionThrottle;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.testutil.TestStreams;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model-based: random writes, deletions and TTLs (the {@link EventsWorkload}) on a durable table with
 * gc_grace_seconds = 0, so compactions purge whenever the rules allow, with flushes, compactions (the
 * planner's choice — STCS, LCS or TWCS, whose fully expired SSTables are dropped unread —, a major one, or
 * an arbitrary subset of SSTables, which leaves SSTables outside the compaction that tombstones may shadow)
 * and crashes at random points. Every read must equal the model:
 * in particular, deleted data never comes back. Writes keep gc_grace's contract (see the epoch below).
 * A point read after every step keeps the key cache (on by default) warm across flushes and compactions,
 * so a position cached for a compacted-away SSTable would show as a wrong answer.
 */
class CompactionModelTest {

    @Provide
    Arbitrary<List<EventsWorkload.OpSpec>> sequences() {
        return EventsWorkload.ops().list().ofMinSize(1).ofMaxSize(50);
    }

    private static final List<java.util.Map<String, String>> STRATEGIES = List.of(
            java.util.Map.of("class", "SizeTieredCompactionStrategy", "min_threshold", "2",
                    "tombstone_compaction_interval", "0", "unchecked_tombstone_compaction", "true"),
            java.util.Map.of("class", "LeveledCompactionStrategy", "sstable_size_in_mb", "1", "min_threshold", "2",
                    "tombstone_compaction_interval", "0"),
            java.util.Map.of("class", "TimeWindowCompactionStrategy", "compaction_window_unit", "MINUTES",
                    "min_threshold", "2", "tombstone_compaction_interval", "0"));

    @Property(tries = 80)
    void readsMatchTheModelThroughCompactionsPurgesAndCrashes(@ForAll("sequences") List<EventsWorkload.OpSpec> ops,
                                                              @ForAll long seed,
                                                              @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 2)
                                                              int strategy) throws Exception {
        Path dir = Files.createTempDirectory("sibyl-compaction-model");
        EventsWorkload w = new EventsWorkload();
        TableMetadata table = w.table.withParams(w.table.params().withGcGraceSeconds(0)
                .withCompaction(STRATEGIES.get(strategy)));
        Random rnd = new Random(seed);
        ReferenceModel model = new ReferenceModel();
        List<String> history = new ArrayList<>();
        StorageEngine engine = open(dir, table);
        try {
            int epoch = 0;
            for (EventsWorkload.OpSpec spec : ops) {
                // gc_grace's contract: once a tombstone may be purged, no write older than it arrives any more
                // (repair ran within gc_grace). Timestamps therefore move on by 10 after each compaction; within
                // an epoch they stay small, unordered and often equal.
                EventsWorkload.Write write = w.write(new EventsWorkload.OpSpec(spec.kind(), spec.pk(), spec.ck1(),
                        spec.ck2(), spec.ts() + 10 * epoch, spec.ttl(), spec.value(), spec.extra()));
                engine.write(Mutation.of(write.update())).toCompletableFuture().get(10, TimeUnit.SECONDS);
                write.model().accept(model);
                history.add(write.description());
                int step = rnd.nextInt(12);
                TableStore store = engine.table(table.id());
                if (step < 3) {
                    engine.flush(table.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    history.add("FLUSH");
                } else if (step == 3 || step == 4) {
                    history.add(compact(store, rnd, w.now()));
                    epoch++;
                } else if (step == 5) {
                    engine = crash(engine, dir, table);
                    history.add("CRASH");
                }
                long pk = ModelCheck.RING_ORDER.get(rnd.nextInt(4));
                ModelCheck.single(table, engine(engine.table(table.id())), model, pk, List.of(), rnd.nextBoolean(),
                        io.sibyl.storage.read.DataLimits.NO_LIMIT, io.sibyl.storage.read.DataLimits.NO_LIMIT, w.now(), history);
            }
            org.junit.jupiter.api.Assertions.assertTrue(engine.keyCache().isEnabled() && engine.chunkCache().isEnabled());
            engine.flush(table.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            history.add(compact(engine.table(table.id()), rnd, w.now()));
            ModelCheck.check(table, engine(engine.table(table.id())), model, w.now(), seed, history);
            history.add(compact(engine.table(table.id()), new Random(0), w.now())); // always a major one
            ModelCheck.check(table, engine(engine.table(table.id())), model, w.now(), seed + 1, history);
            engine = crash(engine, dir, table);
            ModelCheck.check(table, engine(engine.table(table.id())), model, w.now(), seed + 2, history);
        } finally {
            engine.closeAsync().toCompletableFuture().get(10, TimeUnit.SECONDS);
            deleteRecursively(dir);
        }
    }

    /** One compaction chosen at random; returns its line for the history. */
    private static String compact(TableStore store, Random rnd, int nowSec) {
        long nowMillis = nowSec * 1000L;
        List<SSTableReader> live = store.sstables();
        if (live.isEmpty()) {
            return "COMPACT (nothing)";
        }
        CompactionPlanner planner = CompactionPlanner.of(store.compactionParams());
        CompactionTask task;
        int choice = rnd.nextInt(4);
        if (choice == 3) {
            // Any strategy's task must be safe on any table: here TWCS's drop of fully expired SSTables.
            task = CompactionPlanner.of(io.sibyl.storage.compaction.CompactionParams.parse(STRATEGIES.get(2)))
                    .next(store.planInput(nowMillis)).orElse(null);
            if (task == null) {
                return "COMPACT (twcs: nothing due)";
            }
        } else if (choice == 0) {
            task = planner.major(store.planInput(nowMillis)).orElseThrow();
        } else if (choice == 1) {
            task = planner.next(store.planInput(nowMillis)).orElse(null);
            if (task == null) {
                return "COMPACT (planner: nothing due)";
            }
        } else {
            List<Integer> gens = new ArrayList<>(live.stream().map(r -> r.descriptor().generation()).toList());
            Collections.shuffle(gens, rnd);
            List<Integer> subset = gens.subList(0, 1 + rnd.nextInt(gens.size()));
            task = new CompactionTask(CompactionTask.Kind.MERGE, subset, 0, rnd.nextBoolean() ? Long.MAX_VALUE : 300,
                    "random subset");
        }
        Compaction.Result r = Compaction.prepare(store, task, CompactionThrottle.unthrottled(), nowMillis,
                Compaction.StepHook.NONE).orElseThrow().run();
        assertEquals(true, r.swapped());
        return "COMPACT " + task.kind() + " " + task.inputs() + " -> " + r.outputs() + " purged " + r.tombstonesPurged()
                + " at now=" + nowSec;
    }

    /**
     * kill -9: the files stay as they are. Closing without flushing stops the engine, but closing the commit
     * log deletes segments nothing is dirty in, which a crash would leave for replay — so they are put back.
     */
    private static StorageEngine crash(StorageEngine engine, Path dir, TableMetadata table) throws Exception {
        java.util.Map<Path, byte[]> segments = new java.util.HashMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("commitlog"))) {
            for (Path p : files.toList()) {
                segments.put(p, Files.readAllBytes(p));
            }
        }
        engine.closeWithoutFlush().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (var e : segments.entrySet()) {
            Files.write(e.getKey(), e.getValue());
        }
        return open(dir, table);
    }

    private static StorageEngine open(Path dir, TableMetadata table) throws IOException {
        StorageEngine e = StorageEngine.open(dir, TableStoreModelTest.SMALL, id -> id.equals(table.id()) ? table : null,
                TestStreams.materializer());
        e.createTable(table);
        return e;
    }

    private static ModelCheck.Engine engine(TableStore store) {
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

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
