package io.sibyl.storage.sstable;

import io.sibyl.storage.read.UnfilteredRowIterator;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.util.BlockingIo;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Sink;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A pekko-stream Sink writing the partitions it receives (in ring order) into one SSTable, on the
 * blocking-IO dispatcher. It materializes the opened reader once the SSTable is complete; if the stream
 * fails, the half-written files are deleted and the stage fails.
 */
public final class SSTableSink {

    private SSTableSink() {
    }

    public static Sink<UnfilteredRowIterator, CompletionStage<SSTableReader>> of(SSTableWriter writer, TableMetadata metadata) {
        return writing(writer, w -> w.finish(metadata));
    }

    /**
     * Like {@link #of}, but stops after {@link SSTableWriter#prepareToCommit}: materializes the writer with
     * every component synced under its temporary name, for the caller to {@link SSTableWriter#commit} (or
     * {@link SSTableWriter#abort}) when its turn comes.
     */
    public static Sink<UnfilteredRowIterator, CompletionStage<SSTableWriter>> prepared(SSTableWriter writer) {
        return writing(writer, w -> {
            w.prepareToCommit();
            return w;
        });
    }

    /** Appends every partition, then completes the writer with {@code complete}; aborts it if the stream fails. */
    private static <T> Sink<UnfilteredRowIterator, CompletionStage<T>> writing(SSTableWriter writer,
                                                                              Function<SSTableWriter, T> complete) {
        return Sink.<SSTableWriter, UnfilteredRowIterator>fold(writer, (w, partition) -> {
                    w.append(partition);
                    return w;
                })
                .mapMaterializedValue(done -> done.handle((w, err) -> {
                    if (err != null) {
                        writer.abort();
                        return CompletableFuture.<T>failedFuture(err);
                    }
                    try {
                        return CompletableFuture.completedFuture(complete.apply(w));
                    } catch (RuntimeException e) {
                        return CompletableFuture.<T>failedFuture(e);
                    }
                }).thenCompose(f -> f))
                .withAttributes(ActorAttributes.dispatcher(BlockingIo.DISPATCHER));
    }
}
