package io.sibyl.storage.engine;

import io.sibyl.storage.commitlog.CommitLog;
import io.sibyl.storage.commitlog.CommitLogPosition;
import io.sibyl.storage.flush.FlushWriters;
import io.sibyl.storage.sstable.ChunkCache;
import io.sibyl.storage.sstable.KeyCache;
import io.sibyl.storage.sstable.SSTableConfig;
import io.sibyl.storage.util.BlockingIo;
import org.apache.pekko.stream.Materializer;

import java.util.concurrent.Executor;

/** What a {@link TableStore} needs from its engine: the commit log, SSTable settings, truncation records, streams. */
final class TableContext {

    private final StorageSettings settings;
    private final TruncationRecords truncations;
    private final Materializer materializer;
    private final Executor blockingIo;
    private final FlushWriters flushWriters;
    private final KeyCache keyCache;
    private final ChunkCache chunkCache;
    private volatile CommitLog commitLog;
    private final java.util.List<java.util.function.Consumer<TableStore>> flushListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    TableContext(StorageSettings settings, TruncationRecords truncations, Materializer materializer) {
        this.settings = settings;
        this.truncations = truncations;
        this.materializer = materializer;
        this.blockingIo = BlockingIo.executor(materializer);
        this.flushWriters = new FlushWriters(settings.memtableFlushWriters());
        this.keyCache = KeyCache.create(settings.keyCacheSize());
        this.chunkCache = ChunkCache.create(settings.fileCacheSize());
    }

    /** The node's chunk cache (file_cache_size): every table's SSTables share it. */
    ChunkCache chunkCache() {
        return chunkCache;
    }

    /** The node's key cache: every table's SSTables share it. */
    KeyCache keyCache() {
        return keyCache;
    }

    void commitLog(CommitLog log) {
        this.commitLog = log;
    }

    CommitLog commitLog() {
        return commitLog;
    }

    /** The position the next commit-log record will get; before the log is open (replay), "before everything new". */
    CommitLogPosition logPosition() {
        CommitLog log = commitLog;
        return log == null ? CommitLogPosition.NONE : log.currentPosition();
    }

    void discardLog(java.util.UUID table, CommitLogPosition upTo) {
        CommitLog log = commitLog;
        if (log != null) {
            log.discardCompletedSegments(table, upTo);
        }
    }

    /** A dropped table: the commit log no longer waits for it to flush. */
    void forgetTable(java.util.UUID table) {
        CommitLog log = commitLog;
        if (log != null) {
            log.forgetTable(table);
        }
    }

    void addFlushListener(java.util.function.Consumer<TableStore> listener) {
        flushListeners.add(listener);
    }

    /** A flush of {@code table} installed a new SSTable (the Compactor listens: new work may be due). */
    void flushed(TableStore table) {
        for (var l : flushListeners) {
            l.accept(table);
        }
    }

    SSTableConfig sstable() {
        return settings.sstable();
    }

    StorageSettings settings() {
        return settings;
    }

    TruncationRecords truncations() {
        return truncations;
    }

    Materializer materializer() {
        return materializer;
    }

    /** The node's flush writers: every table's flushes share them. */
    FlushWriters flushWriters() {
        return flushWriters;
    }

    Executor blockingIo() {
        return blockingIo;
    }
}
