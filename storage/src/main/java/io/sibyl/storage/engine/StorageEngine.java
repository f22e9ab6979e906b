package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLog;
import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.commitlog.CommitLogReplayer;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.flush.FlushPolicy;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.UnknownTableException;
import io.sibyl.storage.sstable.SSTableDirectory;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * All tables of this node by id ({@link #open}): writes go to the memtables and the commit log, memtables
 * flush to SSTables under {@code <data_dir>/data}, and a restart replays what was not flushed.
 *
 * <p>Write order: a mutation is applied to the memtables first and appended to the commit log second
 * (the memtable switch depends on that order, see {@link TableStore#switchMemtable()}); {@link #write}
 * completes when the record is durable per {@code commitlog_sync}.
 */
public final class StorageEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StorageEngine.class);
    private static final Pattern TABLE_DIR = Pattern.compile(".+-([0-9a-f]{32})");

    private final ConcurrentHashMap<UUID, TableStore> tables = new ConcurrentHashMap<>();
    private final Path dataDir;
    private final StorageSettings settings;
    private final TableContext context;
    private volatile CompletableFuture<Void> closed;
    // Set once the shutdown flush is queued: later flush requests are no-ops, so nothing races the close.
    private volatile boolean closing;
    private volatile Function<TableStore, TableMetrics> metricsFactory = t -> TableMetrics.NONE;
    private volatile Runnable memoryPressureListener = () -> { };
    private volatile Function<TableMetadata, String> schemaDescriber = md -> "-- table " + md;
    // Set by drain(): every write fails from then on; reads go on.
    private volatile boolean drained;

    private StorageEngine(Path dataDir, StorageSettings settings, TableContext context) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.context = context;
    }

    /**
     * Opens the durable engine in {@code dataDir}: opens the SSTables of every table directory whose id
     * {@code schema} knows (others are left alone with a warning), replays the commit log (records of
     * tables {@code schema} does not know are skipped), flushes what was replayed, deletes the replayed
     * segments and starts a new commit log. Blocks until done; throws
     * {@link io.sibyl.storage.commitlog.CommitLogReplayException} on a corrupt log (policy stop) and
     * {@link io.sibyl.storage.sstable.CorruptSSTableException} on an unreadable SSTable.
     *
     * @param schema the current schema by table id (null: unknown / dropped); tables created later are
     *               added with {@link #createTable}
     */
    public static StorageEngine open(Path dataDir, StorageSettings settings, Function<UUID, TableMetadata> schema,
                                     Materializer materializer) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir.resolve("data"));
        TruncationRecords truncations = TruncationRecords.load(dataDir.resolve("system").resolve("truncations"));
        StorageEngine engine = new StorageEngine(dataDir, settings, new TableContext(settings, truncations, materializer));
        engine.loadTableDirectories(schema);

        Set<UUID> replayed = new HashSet<>();
        CommitLogReplayer.Result result = CommitLogReplayer.replay(dataDir.resolve("commitlog"),
                settings.commitLog().replayFailure(), schema, new CommitLogReplayer.Target() {
                    @Override
                    public CommitLogPosition replayFrom(UUID tableId) {
                        TableStore t = engine.tables.get(tableId);
                        return t == null ? truncations.get(tableId) : t.replayFrom();
                    }

                    @Override
                    public void apply(PartitionUpdate update, CommitLogPosition position) {
                        engine.createTable(update.metadata()).apply(update);
                        replayed.add(update.tableId());
                    }
                });

        long maxSegment = Math.max(result.maxSegmentId(), truncations.maxSegmentId());
        for (TableStore t : engine.tables.values()) {
            maxSegment = Math.max(maxSegment, t.replayFrom().segmentId()); // SSTables' bounds and recorded floors
        }
        // Segment ids must exceed every id any file on disk refers to, across restarts and clock changes.
        long firstSegment = Math.max(maxSegment + 1, System.currentTimeMillis());
        engine.context.commitLog(CommitLog.open(dataDir.resolve("commitlog"), settings.commitLog(), firstSegment, materializer));

        List<CompletableFuture<Void>> flushes = new ArrayList<>();
        for (UUID id : replayed) {
            flushes.add(engine.tables.get(id).flush().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(flushes.toArray(new CompletableFuture[0])).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing replayed data", e);
        } catch (ExecutionException e) {
            throw new IOException("could not flush the data replayed from the commit log", e.getCause());
        }
        // Everything in the old segments is now in SSTables (or skipped on purpose): they can go.
        for (Path segment : result.segments()) {
            Files.deleteIfExists(segment);
        }
        log.info("Storage engine open in {}: {} tables, {} records replayed into {} tables, in {} ms", dataDir,
                engine.tables.size(), result.updatesApplied(), replayed.size(), (System.nanoTime() - t0) / 1_000_000);
        return engine;
    }

    private void loadTableDirectories(Function<UUID, TableMetadata> schema) throws IOException {
        try (Stream<Path> keyspaces = Files.list(dataDir.resolve("data"))) {
            for (Path ks : keyspaces.filter(Files::isDirectory).toList()) {
                try (Stream<Path> dirs = Files.list(ks)) {
                    for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                        Matcher m = TABLE_DIR.matcher(dir.getFileName().toString());
                        if (!m.matches()) {
                            continue;
                        }
                        String hex = m.group(1);
                        UUID id = UUID.fromString(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-"
                                + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
                        TableMetadata md = schema.apply(id);
                        if (md == null) {
                            log.warn("Table directory {} belongs to no table in the schema (dropped?); not loaded", dir);
                        } else {
                            createTable(md);
                        }
                    }
                }
            }
        }
    }

    public StorageSettings settings() {
        return settings;
    }

    /** The data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** The live commit log (null only while {@link #open} replays). */
    public CommitLog commitLog() {
        return context.commitLog();
    }

    /** The node's flush writers: how many flushes write now, how many wait. */
    public io.sibyl.storage.flush.FlushWriters flushWriters() {
        return context.flushWriters();
    }

    /** The node's key cache (key_cache_size): its capacity, size, hits and misses. */
    public io.sibyl.storage.sstable.KeyCache keyCache() {
        return context.keyCache();
    }

    /** The node's chunk cache (file_cache_size). */
    public io.sibyl.storage.sstable.ChunkCache chunkCache() {
        return context.chunkCache();
    }

    /** Calls {@code listener} after every flush that installed an SSTable. */
    public void addFlushListener(java.util.function.Consumer<TableStore> listener) {
        context.addFlushListener(listener);
    }

    /** Creates the store of a table (loading its SSTables), or returns the existing one (same id): idempotent. */
    public TableStore createTable(TableMetadata metadata) {
        return tables.computeIfAbsent(metadata.id(), id -> {
            TableStore t = new TableStore(metadata, context, new SSTableDirectory(SSTableDirectory.of(dataDir, metadata)),
                    settings.readThresholds());
            t.loadSSTables();
            t.metrics(metricsFactory.apply(t));
            return t;
        });
    }

    /**
     * Installs the per-table metrics hooks: {@code factory} is called once for every existing table now and
     * for every table created later (a dropped table's hooks are {@link TableMetrics#close closed}).
     */
    public synchronized void metrics(Function<TableStore, TableMetrics> factory) {
        this.metricsFactory = factory;
        for (TableStore t : tables.values()) {
            TableMetrics old = t.metrics();
            t.metrics(factory.apply(t));
            old.close();
        }
    }

    /** Drops a table's store and deletes its data (after an auto snapshot, see auto_snapshot); returns whether it existed. */
    public boolean dropTable(UUID tableId) {
        TableStore existing = tables.get(tableId);
        if (existing != null && settings.autoSnapshot()) {
            autoSnapshot(existing, "dropped");
        }
        TableStore removed = tables.remove(tableId);
        if (removed != null) {
            removed.drop();
            removed.metrics().close();
        }
        return removed != null;
    }

    /** ALTER TABLE: installs new metadata for an existing table. */
    public void updateTable(TableMetadata metadata) {
        table(metadata.id()).updateMetadata(metadata);
    }

    /** TRUNCATE: discards the table's memtables and SSTables, durably (replay will not bring them back). */
    public void truncate(UUID tableId) {
        TableStore t = table(tableId);
        if (settings.autoSnapshot()) {
            autoSnapshot(t, "truncated");
        }
        t.truncate();
    }

    // ---- snapshots, refresh, drain ----

    /** How a snapshot writes a table's {@code schema.cql} (the app installs the CQL describer). */
    public void schemaDescriber(Function<TableMetadata, String> describer) {
        this.schemaDescriber = describer;
    }

    /**
     * Flushes {@code t} (blocking, up to two minutes) and snapshots it as {@code <kind>-<millis>-<table>}:
     * what TRUNCATE and DROP do first when {@code auto_snapshot} is on. A failed flush is logged and the
     * snapshot taken of the SSTables alone; a failed snapshot is logged and does not stop the TRUNCATE/DROP.
     */
    private void autoSnapshot(TableStore t, String kind) {
        TableMetadata md = t.metadata();
        String tag = kind + "-" + System.currentTimeMillis() + "-" + md.name();
        try {
            if (!closing && !drained) {
                try {
                    t.flush().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.MINUTES);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.error("Flush before the auto snapshot of {} failed; snapshotting its SSTables only", md, e);
                }
            }
            t.snapshot(tag, schemaDescriber.apply(md));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("Interrupted during the auto snapshot {} of {}", tag, md);
        } catch (RuntimeException e) {
            log.error("Auto snapshot {} of {} failed; going on with the {}", tag, md, kind.equals("dropped") ? "drop" : "truncate", e);
        }
    }

    /**
     * Snapshots the tables matching {@code keyspace} and {@code table} (null matches all; a named table must
     * exist: IllegalArgumentException), after flushing them, as {@code nodetool snapshot} does. Fails with
     * IllegalArgumentException for a bad tag and {@link io.sibyl.storage.snapshot.SnapshotAlreadyExistsException}
     * if any of them has one named {@code tag} already (then nothing is snapshotted).
     */
    public CompletionStage<List<io.sibyl.storage.snapshot.Snapshot>> snapshot(String tag, String keyspace, String table) {
        try {
            io.sibyl.storage.snapshot.SnapshotDirectory.validateTag(tag);
            List<TableStore> selected = select(keyspace, table);
            for (TableStore t : selected) {
                if (io.sibyl.storage.snapshot.SnapshotDirectory.exists(t.sstableDirectory().path(), tag)) {
                    throw new io.sibyl.storage.snapshot.SnapshotAlreadyExistsException(tag, t.metadata().keyspace(), t.metadata().name());
                }
            }
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (TableStore t : selected) {
                fs.add(drained || closing ? CompletableFuture.completedFuture(null) : t.flush().toCompletableFuture());
            }
            return CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).thenApplyAsync(x -> {
                List<io.sibyl.storage.snapshot.Snapshot> out = new ArrayList<>();
                for (TableStore t : selected) {
                    if (tables.containsKey(t.metadata().id())) { // not dropped meanwhile
                        out.add(t.snapshot(tag, schemaDescriber.apply(t.metadata())));
                    }
                }
                return out;
            }, context.blockingIo());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Every snapshot on this node (those of dropped tables too). */
    public List<io.sibyl.storage.snapshot.Snapshot> listSnapshots() {
        return io.sibyl.storage.snapshot.SnapshotDirectory.list(dataDir);
    }

    /** Deletes the snapshots named {@code tag} (null: all) of {@code keyspace} (null: all); returns how many. */
    public int clearSnapshot(String tag, String keyspace) {
        return io.sibyl.storage.snapshot.SnapshotDirectory.clear(dataDir, tag, keyspace);
    }

    /** {@code nodetool refresh}: loads SSTables placed in the table's directory (see {@link TableStore#refresh}). */
    public List<io.sibyl.storage.sstable.SSTableReader> refresh(UUID tableId) {
        return table(tableId).refresh();
    }

    /**
     * {@code nodetool drain}: from now on every write fails with {@link DrainedException}; then every
     * memtable is flushed. Reads keep being served until the node is stopped.
     */
    public CompletionStage<Void> drain() {
        drained = true;
        log.info("Draining: writes are refused from now on; flushing every table");
        return flushAll();
    }

    public boolean isDrained() {
        return drained;
    }

    private List<TableStore> select(String keyspace, String table) {
        List<TableStore> out = new ArrayList<>();
        for (TableStore t : tables.values()) {
            TableMetadata md = t.metadata();
            if ((keyspace == null || md.keyspace().equals(keyspace)) && (table == null || md.name().equals(table))) {
                out.add(t);
            }
        }
        if (out.isEmpty() && table != null) {
            throw new IllegalArgumentException("no table " + keyspace + "." + table);
        }
        return out;
    }

    public TableStore table(UUID tableId) {
        TableStore t = tables.get(tableId);
        if (t == null) {
            throw new UnknownTableException(tableId);
        }
        return t;
    }

    public TableStore tableOrNull(UUID tableId) {
        return tables.get(tableId);
    }

    public Collection<TableStore> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * Applies every update of a mutation to the memtables only (no commit log: replay and tests). All tables are checked first so that a mutation naming an unknown table is
     * rejected whole rather than half applied.
     */
    public void apply(Mutation mutation) {
        TableStore[] stores = resolve(mutation);
        for (int i = 0; i < stores.length; i++) {
            stores[i].apply(mutation.updates().get(i));
        }
    }

    private TableStore[] resolve(Mutation mutation) {
        List<PartitionUpdate> updates = mutation.updates();
        TableStore[] stores = new TableStore[updates.size()];
        for (int i = 0; i < stores.length; i++) {
            stores[i] = table(updates.get(i).tableId());
        }
        return stores;
    }

    /**
     * Throws {@link io.sibyl.storage.commitlog.MutationTooLargeException} when {@code mutation} could never
     * be written to this node's commit log. A coordinator checks before sending anything, so an oversized
     * write is refused whole instead of failing on every replica. Small mutations cost only a size estimate.
     */
    public void checkMutationSize(Mutation mutation) {
        if (drained) {
            throw new DrainedException(); // a drained node coordinates no writes either
        }
        CommitLog commitLog = commitLog();
        if (mutation.dataSize() > commitLog.maxMutationSize() / 4) {
            commitLog.serialize(mutation);
        }
    }

    /**
     * The write path: applies the mutation to the memtables, then appends it to the commit log. Completes
     * once it is durable per {@code commitlog_sync}; fails with
     * {@link UnknownTableException}, {@link io.sibyl.storage.commitlog.MutationTooLargeException} (nothing
     * applied) or {@link io.sibyl.storage.commitlog.CommitLogFailedException}.
     */
    public CompletionStage<Void> write(Mutation mutation) {
        return writeAll(List.of(mutation));
    }

    /**
     * {@link #write} of several mutations as one (and the path of every write): each is applied to its
     * memtables, and all are appended to the commit log as one queue element (one record each), so they
     * share one future and one durability wait. All or nothing up front: an unknown table or a mutation too large fails the whole call before
     * anything is applied. A bulk request's rows come this way.
     */
    public CompletionStage<Void> writeAll(List<Mutation> mutations) {
        if (mutations.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (drained) {
            return CompletableFuture.failedFuture(new DrainedException());
        }
        long start = System.nanoTime();
        CommitLog commitLog = commitLog();
        TableStore[][] stores = new TableStore[mutations.size()][];
        List<byte[]> payloads = new ArrayList<>(mutations.size());
        try {
            for (int m = 0; m < stores.length; m++) {
                stores[m] = resolve(mutations.get(m));
                for (TableStore t : stores[m]) {
                    CompletableFuture<Void> flush = t.memoryBackpressure(settings.memtableHeapSpace());
                    if (flush != null) {
                        // Nothing applied yet: try again once the running flush has freed memory.
                        return flush.handle((x, e) -> (Void) null).thenComposeAsync(x -> writeAll(mutations));
                    }
                }
            }
            commitLog.checkWritable();
            for (Mutation m : mutations) {
                payloads.add(commitLog.serialize(m));
            }
            for (int m = 0; m < stores.length; m++) {
                List<PartitionUpdate> updates = mutations.get(m).updates();
                for (int i = 0; i < stores[m].length; i++) {
                    stores[m][i].apply(updates.get(i));
                }
            }
            long cleanup = settings.memtableCleanupBytes();
            for (TableStore[] ts : stores) {
                for (TableStore t : ts) {
                    if (t.crossedCleanupThreshold(cleanup)) {
                        memoryPressureListener.run();
                    }
                }
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return commitLog.appendAll(mutations, payloads).thenApply(position -> {
            for (TableStore[] ts : stores) {
                recordWrite(ts, start);
            }
            return null;
        });
    }

    private static void recordWrite(TableStore[] stores, long start) {
        long nanos = System.nanoTime() - start;
        for (TableStore t : stores) {
            t.writeLatency.recordNanos(nanos);
            t.metrics().written(nanos);
        }
    }

    /**
     * Called (on the writing thread, so it must not block) when a write takes its table's current memtable
     * past the cleanup threshold, once per memtable: the MemtableFlusher checks memory at once rather than
     * at its next tick.
     */
    public void onMemoryPressure(Runnable listener) {
        this.memoryPressureListener = listener;
    }

    /** Flushes one table's memtable to an SSTable (a no-op once closing). */
    public CompletionStage<Void> flush(UUID tableId) {
        TableStore t = table(tableId);
        return closing ? CompletableFuture.completedFuture(null) : t.flush();
    }

    /** True once {@link #closeAsync} or {@link #closeWithoutFlush} has begun: flushes requested now do nothing. */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Flushes the tables matching {@code keyspace} and {@code table} (null matches all): what
     * {@code POST /v1/admin/flush} does. Fails with IllegalArgumentException if a named table does not exist.
     */
    public CompletionStage<Void> flush(String keyspace, String table) {
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (TableStore t : tables.values()) {
            TableMetadata md = t.metadata();
            if ((keyspace == null || md.keyspace().equals(keyspace)) && (table == null || md.name().equals(table))) {
                fs.add(flush(md.id()).toCompletableFuture());
            }
        }
        if (fs.isEmpty() && table != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no table " + keyspace + "." + table));
        }
        return CompletableFuture.allOf(fs.toArray(new CompletableFuture[0]));
    }

    public CompletionStage<Void> flushAll() {
        return flush(null, null);
    }

    /** The table to flush for memory now, if the unflushed memtables pass the cleanup threshold. */
    public Optional<TableStore> tableToFlushForMemory() {
        List<FlushPolicy.MemtableUsage> usage = new ArrayList<>();
        for (TableStore t : tables.values()) {
            usage.add(new FlushPolicy.MemtableUsage(t.metadata().id(), t.currentMemtable().liveDataSize()));
        }
        return FlushPolicy.tableToFlush(usage, settings.memtableCleanupBytes()).map(tables::get);
    }

    /** Bytes held by the current (unflushed) memtables of all tables. */
    public long unflushedMemtableBytes() {
        long n = 0;
        for (TableStore t : tables.values()) {
            n += t.currentMemtable().liveDataSize();
        }
        return n;
    }

    public List<TableStats> stats() {
        List<TableStats> out = new ArrayList<>();
        for (TableStore t : tables.values()) {
            out.add(t.stats());
        }
        out.sort((a, b) -> (a.keyspace() + "." + a.table()).compareTo(b.keyspace() + "." + b.table()));
        return out;
    }

    /** Clean shutdown: flushes every memtable, then closes the commit log (which then holds nothing). */
    public synchronized CompletionStage<Void> closeAsync() {
        if (closed != null) {
            return closed;
        }
        // Queued behind any flush already running (a table's flushes are chained), so none is cut short.
        CompletableFuture<Void> flushed = flushAll().toCompletableFuture();
        closing = true;
        closed = flushed
                .handle((x, e) -> {
                    if (e != null) {
                        log.error("Flush at shutdown failed; the commit log keeps the data for replay", e);
                    }
                    return null;
                })
                .thenCompose(x -> context.commitLog().close())
                .whenComplete((x, e) -> tables.values().forEach(TableStore::closeSSTables));
        return closed;
    }

    /**
     * Stops the commit log and closes files without flushing: memtable data stays only in the commit log
     * and is replayed by the next {@link #open} — the state a crash leaves (minus a torn last record).
     */
    public synchronized CompletionStage<Void> closeWithoutFlush() {
        if (closed != null) {
            return closed;
        }
        closing = true;
        closed = context.commitLog().close().toCompletableFuture()
                .whenComplete((x, e) -> tables.values().forEach(TableStore::closeSSTables));
        return closed;
    }

    /** {@link #closeAsync()} and wait. */
    @Override
    public void close() {
        try {
            closeAsync().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("storage engine close failed", e.getCause()));
        }
    }
}
