package io.sibyl.actors.streaming;

import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.actors.schema.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Rebuild (Cassandra's {@code nodetool rebuild}): this node streams, from one named replica, every range
 * of a keyspace that both replicate — to repopulate a node whose data was lost (a replaced disk) or a
 * new data center. Streaming merges by timestamp, so data the node already has is harmless. The ranges
 * it does not share with the source are not touched (run it again with another source for those).
 */
public final class Rebuild {

    /** What a rebuild moved. */
    public record Result(String sessionId, int ranges, long partitions, long bytes) {
    }

    private final RangeStreamer streamer;
    private final Supplier<RingView> ring;
    private final Supplier<Schema> schema;

    public Rebuild(RangeStreamer streamer, Supplier<RingView> ring, Supplier<Schema> schema) {
        this.streamer = streamer;
        this.ring = ring;
        this.schema = schema;
    }

    /**
     * Fails with IllegalArgumentException for an unknown keyspace or source, or the source being this node;
     * with StreamException when the stream fails.
     *
     * @param sessionId null for a new session; an earlier session's id resumes it
     */
    public CompletionStage<Result> rebuild(String keyspace, String sourceId, String sessionId) {
        RingView view = ring.get();
        ReplicationStrategy strategy = schema.get().strategy(keyspace);
        if (strategy == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("keyspace " + keyspace + " does not exist"));
        }
        NodeId source = NodeId.of(sourceId);
        NodeInfo sourceNode = view.record(source).map(NodeRecord::info).orElse(null);
        if (sourceNode == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("node " + sourceId + " is not in the ring"));
        }
        if (source.equals(view.selfId())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("the source must be another node"));
        }
        List<TokenRange> shared = sharedRanges(view, strategy, source);
        String id = sessionId != null ? sessionId : "rebuild-" + keyspace + "-" + UUID.randomUUID();
        return streamer.fetchRanges(id, sourceNode, keyspace, shared)
                .thenApply(s -> new Result(id, shared.size(), s.partitions(), s.bytes()));
    }

    /** The ranges this node replicates that {@code source} replicates too. */
    static List<TokenRange> sharedRanges(RingView view, ReplicationStrategy strategy, NodeId source) {
        List<TokenRange> out = new ArrayList<>();
        for (TokenRange r : view.ring().rangesFor(strategy, view.selfId())) {
            if (view.ring().replicasFor(strategy, r.right()).stream().anyMatch(n -> n.id().equals(source))) {
                out.add(r);
            }
        }
        return out;
    }
}
