package io.sibyl.storage.flush;

import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.sstable.SSTableReader;
import io.sibyl.storage.sstable.SSTableSink;
import io.sibyl.storage.sstable.SSTableWriter;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;

import java.util.concurrent.CompletionStage;

/**
 * Streams a switched-out memtable, partition by partition in ring order, into a new SSTable: a
 * {@code Source} over the memtable into the {@link SSTableSink}, all on the blocking-IO dispatcher. The
 * memtable is immutable by then (no writer can reach it), so the stream reads it without locks while
 * writes go on into the new memtable.
 */
public final class MemtableFlushWriter {

    private MemtableFlushWriter() {
    }

    public static CompletionStage<SSTableReader> write(Memtable memtable, SSTableWriter writer, TableMetadata metadata,
                                                       Materializer mat) {
        return Source.fromIterator(() -> memtable.iterator(KeyRange.all()))
                .runWith(SSTableSink.of(writer, metadata), mat);
    }

    /**
     * Writes the memtable's SSTable up to {@link SSTableWriter#prepareToCommit} (synced, not yet visible):
     * the table commits its flushes one after another, oldest memtable first, while they are written
     * concurrently.
     */
    public static CompletionStage<SSTableWriter> prepare(Memtable memtable, SSTableWriter writer, Materializer mat) {
        return Source.fromIterator(() -> memtable.iterator(KeyRange.all()))
                .runWith(SSTableSink.prepared(writer), mat);
    }
}
