package io.sibyl.actors.compaction;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.actors.schema.Schema;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Cleanup (Cassandra's {@code nodetool cleanup}): after this node lost ranges to a new node, drops from
 * its SSTables every partition whose token it no longer replicates — the ranges {@link
 * io.sibyl.actors.ring.TokenRing#rangesFor} gives this node under the keyspace's replication strategy.
 * The tables are flushed first (memtable data of foreign ranges lands in the SSTables rewritten), then
 * the {@link Compactor} rewrites each SSTable, so cleanup never races another compaction of the table.
 * Refused while any range is pending: a moving range's data may still be needed here.
 */
public final class NodeCleanup {

    /** Cleanup was refused because a topology change is in progress. */
    public static final class PendingRangesException extends RuntimeException {
        public PendingRangesException(String message) {
            super(message);
        }
    }

    private final ActorRef<Compactor.Command> compactor;
    private final Scheduler scheduler;
    private final StorageEngine engine;
    private final Supplier<RingView> ring;
    private final Supplier<Schema> schema;

    public NodeCleanup(ActorRef<Compactor.Command> compactor, Scheduler scheduler, StorageEngine engine,
                       Supplier<RingView> ring, Supplier<Schema> schema) {
        this.compactor = compactor;
        this.scheduler = scheduler;
        this.engine = engine;
        this.ring = ring;
        this.schema = schema;
    }

    /**
     * Cleans the tables matching {@code keyspace} and {@code table} (null: all); completes with the tables
     * cleaned. Fails with {@link PendingRangesException} while ranges are pending, IllegalArgumentException
     * for an unknown table.
     */
    public CompletionStage<List<String>> cleanup(String keyspace, String table, Duration timeout) {
        if (ring.get().hasPendingRanges()) {
            return CompletableFuture.failedFuture(new PendingRangesException("cleanup is refused while ranges are"
                    + " pending (a node is joining, leaving or being replaced); run it once the change has finished"));
        }
        return engine.flush(keyspace, table).thenCompose(v -> Compactor.cleanup(compactor, scheduler, keyspace, table,
                this::ownedTokens, timeout));
    }

    /**
     * The tokens of {@code table} this node replicates now; null when it keeps everything (the node replicates
     * the whole ring, or the table is node-local, outside the replicated keyspaces): nothing to rewrite.
     */
    LongPredicate ownedTokens(TableMetadata table) {
        RingView view = ring.get();
        if (view.hasPendingRanges()) {
            throw new PendingRangesException("a topology change started during cleanup; cleanup stopped");
        }
        Schema s = schema.get();
        if (s.keyspace(table.keyspace()) == null) {
            return null;
        }
        if (!view.ring().contains(view.selfId())) {
            // an empty or not yet known ring would make every partition look foreign
            throw new PendingRangesException("this node is not in the ring (yet); cleanup refused");
        }
        List<TokenRange> ranges = view.ring().rangesFor(s.strategy(table.keyspace()), view.selfId());
        return ranges.size() == view.ring().tokenCount() ? null : owned(ranges);
    }

    /** Membership in any of {@code ranges}. */
    public static LongPredicate owned(List<TokenRange> ranges) {
        List<TokenRange> copy = List.copyOf(ranges);
        return t -> {
            for (TokenRange r : copy) {
                if (r.contains(t)) {
                    return true;
                }
            }
            return false;
        };
    }
}
