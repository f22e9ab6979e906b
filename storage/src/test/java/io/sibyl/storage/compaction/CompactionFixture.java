package io.sibyl.storage.compaction;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.LivenessInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.StorageSettings;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.testutil.TestMutations;
import io.sibyl.storage.testutil.TestStreams;
import io.sibyl.storage.testutil.TestTypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A durable engine with one {@code kv (k bigint PRIMARY KEY, v bigint)} table, for compaction tests. */
final class CompactionFixture implements AutoCloseable {

    static final UUID ID = UUID.fromString("00000000-0000-0000-0000-00000000c0c0");
    static final long NOW_MILLIS = System.currentTimeMillis();
    static final int NOW = (int) (NOW_MILLIS / 1000);
    static final StorageSettings SETTINGS = StorageSettings.defaults().withSSTable(new SSTableConfig(1024, 256, 0.01, 4))
            .withCommitLog(io.sibyl.storage.commitlog.CommitLogConfig.DEFAULT
                    .withSync(io.sibyl.storage.commitlog.CommitLogSync.PERIODIC));

    final Path dir;
    final TableMetadata table;
    StorageEngine engine;

    final StorageSettings settings;

    CompactionFixture(Path dir, TableParams params) throws Exception {
        this(dir, params, SETTINGS);
    }

    CompactionFixture(Path dir, TableParams params, StorageSettings settings) throws Exception {
        this.dir = dir;
        this.settings = settings;
        this.table = new TableMetadata("ks", "kv", ID, List.of(
                ColumnMetadata.partitionKey("k", TestTypes.BIGINT, 0),
                ColumnMetadata.regular("v", TestTypes.BIGINT)), params);
        open();
    }

    static TableParams gcGrace(int seconds) {
        return TableParams.DEFAULT.withGcGraceSeconds(seconds);
    }

    void open() throws Exception {
        engine = StorageEngine.open(dir, settings, id -> id.equals(ID) ? table : null, TestStreams.materializer());
        engine.createTable(table);
    }

    /** Stops as a crash would: no flush, files closed, nothing deleted. */
    void crashAndRestart() throws Exception {
        engine.closeWithoutFlush().toCompletableFuture().get(20, TimeUnit.SECONDS);
        open();
    }

    TableStore store() {
        return engine.table(ID);
    }

    void put(long k, long v, long ts) throws Exception {
        await(engine.write(TestMutations.kv(table, k, v, ts)));
    }

    void putWithTtl(long k, long v, long ts, int ttl, int writtenAtSec) throws Exception {
        await(engine.write(Mutation.of(PartitionUpdate.builder(table, TestMutations.murmurKey(k))
                .add(Row.of(Clustering.EMPTY, LivenessInfo.create(ts, ttl, writtenAtSec), DeletionTime.LIVE,
                        List.of(Cell.expiring("v", null, TestTypes.bigint(v), ts, ttl, writtenAtSec)), Map.of()))
                .build())));
    }

    void delete(long k, long ts, int atSec) throws Exception {
        await(engine.write(Mutation.of(PartitionUpdate.partitionDeletion(table, TestMutations.murmurKey(k),
                new DeletionTime(ts, atSec)))));
    }

    void flush() throws Exception {
        await(engine.flush(ID));
    }

    /** The value of k, or null when the row is absent. */
    Long get(long k) {
        ReadResult r = store().read(SinglePartitionReadCommand.fullPartition(table, TestMutations.murmurKey(k), NOW));
        if (r.filtered().isEmpty() || r.filtered().get(0).rows().isEmpty()) {
            return null;
        }
        Cell c = r.filtered().get(0).rows().get(0).cell("v");
        return c == null ? null : TestTypes.bigint(c.value());
    }

    Set<Integer> generations() {
        return store().sstables().stream().map(r -> r.descriptor().generation()).collect(Collectors.toCollection(TreeSet::new));
    }

    long tombstonesOnDisk() {
        return store().sstables().stream().mapToLong(r -> r.stats().tombstoneCount()).sum();
    }

    Compaction.Result run(CompactionTask task) {
        return run(task, Compaction.StepHook.NONE);
    }

    Compaction.Result run(CompactionTask task, Compaction.StepHook hook) {
        return Compaction.prepare(store(), task, CompactionThrottle.unthrottled(), NOW_MILLIS, hook).orElseThrow().run();
    }

    Compaction.Result major() {
        return run(CompactionPlanner.of(store().compactionParams()).major(store().planInput(NOW_MILLIS)).orElseThrow());
    }

    List<SSTableReader> sstables() {
        return store().sstables();
    }

    /** Files in the table directory: SSTable components and transaction logs. */
    List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(store().sstableDirectory().path())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        engine.closeAsync().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
