package io.sibyl.app.cql.exec;

import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Row;
import io.sibyl.storage.data.Slice;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.actors.coordinator.Coordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Runs a {@link ReadPlan} from a {@link PagingState}, fetching chunks through the coordinator and
 * handing qualifying rows (filtered, within LIMIT and PER PARTITION LIMIT) to a consumer until the
 * page is full. It then looks one qualifying row ahead, so the last page reliably has no paging state.
 *
 * <p>The position moves over every row examined, including rows the filter rejects; on a full page it
 * stays on the last row returned, since the look-ahead only examines rows.
 */
final class PagedRead {

    /** Cassandra's default tombstone_warn_threshold; to become a node setting when the read path has one. */
    static final long TOMBSTONE_WARN_THRESHOLD = 1_000;
    private static final int MIN_FILTERING_CHUNK = 100;

    /** What one fetch returned: partitions in order, whether the last one was read to its end, and
     *  whether nothing follows it. */
    private record Chunk(List<FilteredPartition> partitions, int keyIndex, boolean lastComplete, boolean exhausted) {}

    private long tombstones;
    private long liveRowsScanned;

    private final Coordinator coordinator;
    private final ChunkSizes chunkSizes;
    private final ReadPlan plan;
    private final int pageSize;
    private final int nowInSec;
    private final Consumer<ResultRow> consumer;

    // position
    private int keyIndex;
    private DecoratedKey currentKey;
    private boolean inPartition;
    private Clustering last;
    private int remaining;
    private int perPartitionRemaining;

    private int emitted;
    private boolean finished;
    private boolean hasMore;

    PagedRead(Coordinator coordinator, ChunkSizes chunkSizes, ReadPlan plan, int pageSize, int nowInSec,
              PagingState state, Consumer<ResultRow> consumer) {
        this.coordinator = coordinator;
        this.chunkSizes = chunkSizes;
        this.plan = plan;
        this.pageSize = pageSize;
        this.nowInSec = nowInSec;
        this.consumer = consumer;
        this.keyIndex = state.keyIndex();
        this.currentKey = state.partitionKey() == null ? null : Keys.decorate(state.partitionKey());
        this.inPartition = state.inPartition();
        this.last = state.clustering();
        this.remaining = state.remaining();
        this.perPartitionRemaining = state.perPartitionRemaining();
    }

    /** Completes with the state of the next page, or null when this was the last page. */
    CompletionStage<PagingState> run() {
        if (plan.isEmpty() || remaining <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return loop().thenApply(v -> hasMore ? state() : null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletionStage<Void> loop() {
        while (!finished) {
            CompletableFuture<Chunk> next = fetch().toCompletableFuture();
            if (!next.isDone()) {
                return next.thenCompose(c -> {
                    consume(c);
                    return loop();
                });
            }
            consume(next.join());
        }
        return CompletableFuture.completedFuture(null);
    }

    private PagingState state() {
        byte[][] values = null;
        if (last != null) {
            values = new byte[last.size()][];
            for (int i = 0; i < values.length; i++) {
                values[i] = last.get(i);
            }
        }
        return new PagingState(keyIndex, currentKey == null ? null : currentKey.key(), inPartition, values, remaining,
                perPartitionRemaining);
    }

    private int chunkSize() {
        long wanted = Math.min((long) pageSize - emitted, remaining) + 1;
        int n = (int) Math.max(1, Math.min(chunkSizes.cap(plan.table().id()), wanted));
        return plan.filter().isEmpty() ? n : Math.max(n, MIN_FILTERING_CHUNK);
    }

    private boolean storageAppliesPerPartitionLimit() {
        return plan.filter().isEmpty() && plan.perPartitionLimit() != DataLimits.NO_LIMIT;
    }

    private CompletionStage<Chunk> fetch() {
        int n = chunkSize();
        if (plan.isRange() && !inPartition) {
            KeyRange range = currentKey == null
                    ? new KeyRange(DecoratedKey.minKeyForToken(plan.tokenLo()), true, rangeEnd(), false)
                    : new KeyRange(currentKey, false, rangeEnd(), false);
            int perPartitionLimit = storageAppliesPerPartitionLimit() ? plan.perPartitionLimit() : DataLimits.NO_LIMIT;
            return adaptive(n, rows -> coordinator.scan(new PartitionRangeReadCommand(plan.table(), range,
                    plan.filter(plan.slices()), nowInSec, new DataLimits(rows, perPartitionLimit)), plan.consistency()))
                    .thenApply(r -> {
                        count(r);
                        List<FilteredPartition> parts = r.filtered();
                        return new Chunk(parts, -1, !r.limitReached(), !r.limitReached());
                    });
        }
        int index;
        DecoratedKey key;
        List<Slice> slices = plan.slices();
        int perPartition = storageAppliesPerPartitionLimit() ? plan.perPartitionLimit() : DataLimits.NO_LIMIT;
        if (inPartition) {
            index = keyIndex;
            key = currentKey;
            if (last != null) {
                slices = ClusteringSlices.after(slices, last, plan.reversed(), plan.table().clusteringComparator());
            }
            if (storageAppliesPerPartitionLimit()) {
                perPartition = perPartitionRemaining;
            }
        } else {
            index = currentKey == null ? 0 : keyIndex + 1;
            if (index >= plan.keys().size()) {
                return CompletableFuture.completedFuture(new Chunk(List.of(), index, true, true));
            }
            key = plan.keys().get(index);
        }
        if (slices.isEmpty() || perPartition <= 0) {
            // Nothing left in this partition: report it read to its end, and move past it (a coordinator may
            // say "limit reached" for a chunk that ended exactly on a partition's last row; without moving
            // on, the same empty remainder would be asked for forever).
            markPartitionDone(index, key);
            boolean exhausted = !plan.isRange() && index >= plan.keys().size() - 1;
            return CompletableFuture.completedFuture(new Chunk(List.of(), index, true, exhausted));
        }
        boolean lastKey = !plan.isRange() && index >= plan.keys().size() - 1;
        final int idx = index;
        final DecoratedKey k = key;
        final List<Slice> partSlices = slices;
        return adaptive(Math.min(n, perPartition), rows -> coordinator.read(new SinglePartitionReadCommand(plan.table(), k,
                plan.filter(partSlices), nowInSec, DataLimits.rows(rows)), plan.consistency())).thenApply(r -> {
            count(r);
            boolean complete = !r.limitReached();
            List<FilteredPartition> parts = r.filtered();
            if (parts.isEmpty()) {
                // Keep the position moving even when the partition has nothing (left) to show.
                markPartitionDone(idx, k);
            }
            return new Chunk(parts, idx, complete, complete && lastKey);
        });
    }

    /**
     * Reads {@code rows} rows with {@code read}; when a replica's answer would exceed the inter-node message
     * limit, asks again for half as many (the chunk ends earlier, the page goes on with the next fetch).
     */
    private CompletionStage<ReadResult> adaptive(int rows, IntFunction<CompletionStage<ReadResult>> read) {
        CompletionStage<ReadResult> first;
        try {
            first = read.apply(rows);
        } catch (RuntimeException e) {
            first = CompletableFuture.failedFuture(e);
        }
        return first.handle((r, e) -> {
            if (e == null) {
                chunkSizes.measured(plan.table().id(), r, rowCount(r));
                return CompletableFuture.completedFuture(r);
            }
            int fewer = ChunkSizes.isTooLarge(e) ? chunkSizes.tooLarge(plan.table().id(), rows) : 0;
            if (fewer <= 0) {
                return CompletableFuture.<ReadResult>failedFuture(e);
            }
            return adaptive(fewer, read);
        }).thenCompose(f -> f);
    }

    private static int rowCount(ReadResult r) {
        int n = 0;
        for (io.sibyl.storage.data.PartitionUpdate p : r.partitions()) {
            n += Math.max(1, p.rows().size());
        }
        return n;
    }

    private void count(io.sibyl.storage.read.ReadResult r) {
        if (r.stats() != null) {
            tombstones += r.stats().tombstonesScanned();
            liveRowsScanned += r.stats().liveRowsScanned();
        }
    }

    /** Cassandra's tombstone warning when this read scanned more tombstones than the threshold; else null. */
    String tombstoneWarning() {
        if (tombstones <= TOMBSTONE_WARN_THRESHOLD) {
            return null;
        }
        return "Read " + liveRowsScanned + " live rows and " + tombstones + " tombstone cells for query of "
                + plan.table().keyspace() + "." + plan.table().name() + " (see tombstone_warn_threshold)";
    }

    private void markPartitionDone(int index, DecoratedKey key) {
        keyIndex = index;
        currentKey = key;
        inPartition = false;
        last = null;
    }

    private DecoratedKey rangeEnd() {
        return plan.tokenHi() == Long.MAX_VALUE ? null : DecoratedKey.minKeyForToken(plan.tokenHi() + 1);
    }

    private void consume(Chunk chunk) {
        List<FilteredPartition> parts = chunk.partitions();
        for (int j = 0; j < parts.size() && !finished; j++) {
            FilteredPartition p = parts.get(j);
            if (!(inPartition && p.key().equals(currentKey))) {
                keyIndex = chunk.keyIndex();
                currentKey = p.key();
                inPartition = true;
                last = null;
                perPartitionRemaining = plan.perPartitionLimit();
            }
            ResultRow.Partition partition = new ResultRow.Partition(plan.table(), p.key(), p.staticRow(), nowInSec);
            List<Row> rows = p.isStaticOnly() ? staticOnly() : p.rows();
            for (Row row : rows) {
                if (perPartitionRemaining <= 0) {
                    break;
                }
                ResultRow r = new ResultRow(partition, row);
                if (!plan.filter().test(r)) {
                    if (row != null) {
                        last = row.clustering();
                    }
                    continue;
                }
                if (emitted >= pageSize) {
                    hasMore = true;
                    finished = true;
                    return;
                }
                consumer.accept(r);
                emitted++;
                remaining--;
                perPartitionRemaining--;
                if (row != null) {
                    last = row.clustering();
                } else {
                    perPartitionRemaining = 0;
                }
                if (remaining <= 0) {
                    finished = true;
                    hasMore = false;
                    return;
                }
            }
            boolean done = j < parts.size() - 1 || chunk.lastComplete() || perPartitionRemaining <= 0 || p.isStaticOnly();
            if (done) {
                inPartition = false;
                last = null;
            }
        }
        if (chunk.exhausted() && !finished) {
            finished = true;
            hasMore = false;
        }
    }

    private static List<Row> staticOnly() {
        List<Row> one = new ArrayList<>(1);
        one.add(null);
        return one;
    }
}
