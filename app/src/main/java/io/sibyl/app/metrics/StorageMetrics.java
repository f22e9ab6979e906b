package io.sibyl.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sibyl.storage.commitlog.CommitLog;
import io.sibyl.storage.engine.StorageEngine;
import java.util.function.ToDoubleFunction;

/**
 * The storage engine's meters: node-wide commit-log counters read from the log at scrape time, and a
 * {@link TableMeters} per table plugged into the engine's hooks.
 */
final class StorageMetrics {

    private StorageMetrics() {
    }

    static void bind(MeterRegistry registry, StorageEngine engine) {
        commitLogCounter(registry, engine, "sibyl.commitlog.syncs", "Commit-log fsyncs", CommitLog::syncCount);
        commitLogCounter(registry, engine, "sibyl.commitlog.records", "Commit-log records written",
                CommitLog::recordCount);
        FunctionCounter.builder("sibyl.commitlog.written", engine, e -> value(e, CommitLog::bytesWritten))
                .baseUnit("bytes").description("Commit-log bytes written (record framing included)")
                .register(registry);
        Gauge.builder("sibyl.commitlog.segments", engine, e -> value(e, l -> l.segmentFiles().size()))
                .description("Commit-log segment files held (not yet covered by flushes)").register(registry);
        Gauge.builder("sibyl.memtable.unflushed", engine, StorageEngine::unflushedMemtableBytes).baseUnit("bytes")
                .description("Data in the current memtables of all tables (what the flush rule measures)")
                .register(registry);
        Gauge.builder("sibyl.compaction.pending.tasks", engine, e -> e.tables().stream().mapToInt(t -> t.pendingCompactions()).sum())
                .description("Compactions the tables' strategies estimate are still due").register(registry);
        Gauge.builder("sibyl.memtable.flushes.pending", engine, e -> e.tables().stream().mapToInt(t -> t.flushingCount()).sum())
                .description("Memtables switched and not yet flushed (writing or waiting for a flush writer)").register(registry);
        Gauge.builder("sibyl.flush.writers.active", engine, e -> e.flushWriters().running())
                .description("Memtable flushes writing now").register(registry);
        Gauge.builder("sibyl.flush.writers.queued", engine, e -> e.flushWriters().queued())
                .description("Memtable flushes waiting for a flush writer").register(registry);
        Gauge.builder("sibyl.drained", engine, e -> e.isDrained() ? 1 : 0)
                .description("1 once the node is drained (writes refused)").register(registry);
        keyCache(registry, engine);
        engine.metrics(table -> new TableMeters(registry, table));
    }

    /** The node's key cache, as nodetool info shows it: hits, requests that missed, size and capacity. */
    private static void keyCache(MeterRegistry registry, StorageEngine engine) {
        FunctionCounter.builder("sibyl.key_cache.hits", engine, e -> e.keyCache().stats().hits())
                .description("Point reads of an SSTable whose index lookup the key cache answered").register(registry);
        FunctionCounter.builder("sibyl.key_cache.misses", engine, e -> e.keyCache().stats().misses())
                .description("Point reads of an SSTable (bloom filter passed) that searched the index").register(registry);
        Gauge.builder("sibyl.key_cache.size", engine, e -> e.keyCache().stats().size()).baseUnit("bytes")
                .description("Estimated heap bytes the key cache holds").register(registry);
        Gauge.builder("sibyl.key_cache.capacity", engine, e -> e.keyCache().capacity()).baseUnit("bytes")
                .description("key_cache_size (0: disabled)").register(registry);
        Gauge.builder("sibyl.key_cache.entries", engine, e -> e.keyCache().stats().entries())
                .description("Entries in the key cache").register(registry);
        FunctionCounter.builder("sibyl.chunk_cache.hits", engine, e -> e.chunkCache().stats().hits())
                .description("Point reads whose data chunk the chunk cache held").register(registry);
        FunctionCounter.builder("sibyl.chunk_cache.misses", engine, e -> e.chunkCache().stats().misses())
                .description("Point reads that read and decompressed their chunk (chunk cache on)").register(registry);
        Gauge.builder("sibyl.chunk_cache.size", engine, e -> e.chunkCache().stats().size()).baseUnit("bytes")
                .description("Heap bytes the chunk cache holds").register(registry);
        Gauge.builder("sibyl.chunk_cache.capacity", engine, e -> e.chunkCache().capacity()).baseUnit("bytes")
                .description("file_cache_size (0: disabled)").register(registry);
    }

    private static void commitLogCounter(MeterRegistry registry, StorageEngine engine, String name, String description,
                                         ToDoubleFunction<CommitLog> f) {
        FunctionCounter.builder(name, engine, e -> value(e, f)).description(description).register(registry);
    }

    private static double value(StorageEngine engine, ToDoubleFunction<CommitLog> f) {
        CommitLog log = engine.commitLog();
        return log == null ? 0 : f.applyAsDouble(log);
    }
}
