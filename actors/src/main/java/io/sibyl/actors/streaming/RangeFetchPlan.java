package io.sibyl.actors.streaming;

import io.sibyl.actors.cluster.*;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part of a topology change's streaming: for every keyspace, the ranges it gains
 * ({@link RangeMovements}) and the replica each is fetched from, then the fetches through the
 * {@link RangeStreamer}, one (keyspace, source) at a time.
 *
 * <p>Sources: a join or decommission fetches from the replica that loses the range (strict source,
 * CASSANDRA-2434); if it is down the change fails with a message saying so, unless
 * {@code allowInconsistentSource} lets another live replica of the range serve (it may lack writes
 * only the lost replica acknowledged). A removenode fetches from a live remaining replica; a replace
 * from a live replica that keeps the range, preferring the replacing node's data center.
 */
public final class RangeFetchPlan implements TopologyStreaming {

    private static final Logger log = LoggerFactory.getLogger(RangeFetchPlan.class);

    /** One fetch: these ranges of this keyspace from this source. */
    public record Fetch(String keyspace, NodeInfo source, List<TokenRange> ranges) {
    }

    private final NodeId self;
    private final RangeStreamer streamer;
    private final Supplier<Map<String, ReplicationStrategy>> keyspaces;
    private final Supplier<CompletionStage<Void>> schemaReady;
    private final boolean allowInconsistentSource;

    /**
     * @param keyspaces   the keyspaces to stream and their replication, read when streaming starts
     * @param schemaReady completes once this node has the cluster's schema (a joining node must not
     *                    plan from an empty schema); fails if it does not get it in time
     */
    public RangeFetchPlan(NodeId self, RangeStreamer streamer, Supplier<Map<String, ReplicationStrategy>> keyspaces,
                          Supplier<CompletionStage<Void>> schemaReady, boolean allowInconsistentSource) {
        this.self = self;
        this.streamer = streamer;
        this.keyspaces = keyspaces;
        this.schemaReady = schemaReady;
        this.allowInconsistentSource = allowInconsistentSource;
    }

    @Override
    public CompletionStage<Void> fetch(ClusterMetadata metadata, RingView view) {
        TopologyChange change = metadata.change();
        String session = change.kind().name().toLowerCase() + "-" + change.node() + "-" + change.startedEpoch();
        return schemaReady.get().thenCompose(ready -> {
            List<Fetch> fetches = plan(metadata, view, keyspaces.get(), self, allowInconsistentSource);
            log.info("session {}: {} fetches for node {}", session, fetches.size(), self);
            // Every fetch at once: the streamer bounds how many ranges run against each source
            // (sibyl.streaming.parallelism) and each source its outgoing bytes (stream_throughput_outbound).
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Fetch f : fetches) {
                all.add(streamer.fetchRanges(session, f.source(), f.keyspace(), f.ranges())
                        .thenAccept(summary -> log.info("session {}: keyspace {}: {} ranges from {}: {} partitions, "
                                        + "{} bytes", session, f.keyspace(), f.ranges().size(), f.source().id(),
                                summary.partitions(), summary.bytes())).toCompletableFuture());
            }
            // The change fails with its first failed session, not once every other source has finished too.
            return RangeFetcher.allOrFirstFailure(all);
        });
    }

    /**
     * The fetches {@code self} runs for the change in progress of {@code metadata}; liveness from {@code view}.
     *
     * @throws IllegalStateException when a range has no usable source (the message names range, keyspace
     *         and the down replica, and how to proceed)
     */
    public static List<Fetch> plan(ClusterMetadata metadata, RingView view, Map<String, ReplicationStrategy> keyspaces,
                                   NodeId self, boolean allowInconsistentSource) {
        TopologyChange change = metadata.change();
        if (change == null) {
            return List.of();
        }
        Map<String, Fetch> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, ReplicationStrategy> ks : keyspaces.entrySet()) {
            for (RangeMovements.Movement m : RangeMovements.gainedBy(metadata.currentRing(), metadata.futureRing(),
                    ks.getValue(), self)) {
                NodeInfo source = change.kind() == TopologyChange.Kind.REPLACE
                        ? replaceSource(change, m, view, ks.getKey(), metadata.nodes().get(self).info().dc())
                        : source(change, m, view, ks.getKey(), allowInconsistentSource);
                grouped.computeIfAbsent(ks.getKey() + "/" + source.id(),
                        k -> new Fetch(ks.getKey(), source, new ArrayList<>())).ranges().add(m.range());
            }
        }
        List<Fetch> out = new ArrayList<>();
        grouped.values().forEach(f -> out.add(new Fetch(f.keyspace(), f.source(), List.copyOf(f.ranges()))));
        return out;
    }

    /**
     * A replace fetches from a live replica that keeps the range, in the replacing node's data center
     * if one is live there: the replaced node is dead, so there is no strict source to insist on.
     */
    static NodeInfo replaceSource(TopologyChange change, RangeMovements.Movement m, RingView view, String keyspace,
                                  String localDc) {
        NodeInfo fallback = null;
        for (NodeInfo n : m.keepers()) {
            if (n.id().equals(change.replaced()) || n.id().equals(change.node()) || !view.isAlive(n.id())) {
                continue;
            }
            if (n.dc().equals(localDc)) {
                return n;
            }
            if (fallback == null) {
                fallback = n;
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new IllegalStateException("replace of " + change.replaced() + " by " + change.node()
                + ": no live replica other than the replaced node holds range " + m.range() + " of keyspace " + keyspace
                + " (other replicas " + ids(m.keepers()) + " are down); bring one back and start the replacing node "
                + "again, or abort the change (POST /v1/admin/topology/abort)");
    }

    private static NodeInfo source(TopologyChange change, RangeMovements.Movement m, RingView view, String keyspace,
                                   boolean allowInconsistent) {
        if (change.kind() == TopologyChange.Kind.REMOVE) {
            for (NodeInfo n : m.keepers()) {
                if (view.isAlive(n.id()) && !n.id().equals(change.node())) {
                    return n;
                }
            }
            throw new IllegalStateException("removenode of " + change.node() + ": no live replica holds range "
                    + m.range() + " of keyspace " + keyspace + " (replicas " + ids(m.keepers()) + " are down); "
                    + "bring one back, or abort the change (POST /v1/admin/topology/abort)");
        }
        List<NodeInfo> strict = m.losers().isEmpty() ? m.keepers() : m.losers();
        for (NodeInfo n : strict) {
            if (view.isAlive(n.id())) {
                return n;
            }
        }
        if (allowInconsistent) {
            for (NodeInfo n : m.keepers()) {
                if (view.isAlive(n.id())) {
                    log.warn("range {} of keyspace {}: strict source {} is down; streaming from {} instead "
                            + "(allow_inconsistent_source)", m.range(), keyspace, ids(strict), n.id());
                    return n;
                }
            }
        }
        throw new IllegalStateException(change.kind() + " of " + change.node() + ": the replica that loses range "
                + m.range() + " of keyspace " + keyspace + " (" + ids(strict) + ") is down, and streaming from another "
                + "replica could miss writes only it acknowledged. Bring it back and retry, or start the joining node "
                + "with --allow-inconsistent-source (sibyl.topology.allow_inconsistent_source = on) and repair afterwards.");
    }

    private static List<String> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(n -> n.id().value()).toList();
    }
}
