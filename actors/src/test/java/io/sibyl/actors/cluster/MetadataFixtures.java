package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenAllocator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds node records and drives metadata through whole changes, for the metadata tests. */
public final class MetadataFixtures {

    private MetadataFixtures() {
    }

    public static NodeRecord record(String id, String dc, String rack, List<Long> tokens, NodeStatus status) {
        return new NodeRecord(new NodeInfo(NodeId.of(id), "127.0.0.1", 8000, 7000 + Math.abs(id.hashCode() % 1000),
                dc, rack), tokens, status);
    }

    public static NodeRecord record(String id, List<Long> tokens, NodeStatus status) {
        return record(id, "dc1", "r1", tokens, status);
    }

    /** Tokens not already used by {@code m}. */
    public static List<Long> freshTokens(ClusterMetadata m, TokenAllocator alloc, int n) {
        Set<Long> taken = new HashSet<>();
        m.nodes().values().forEach(r -> taken.addAll(r.tokens()));
        return alloc.allocate(taken, n);
    }

    public static ClusterMetadata register(ClusterMetadata m, NodeRecord r) {
        return m.apply(new MetadataEntry.Register(m.epoch() + 1, r));
    }

    /** Every step of a join, PrepareJoin to FinishJoin. */
    public static ClusterMetadata join(ClusterMetadata m, NodeRecord joining) {
        m = m.apply(new MetadataEntry.PrepareJoin(m.epoch() + 1, joining));
        return runToEnd(m);
    }

    public static ClusterMetadata leave(ClusterMetadata m, NodeId node, boolean removal) {
        m = m.apply(new MetadataEntry.PrepareLeave(m.epoch() + 1, node, removal));
        return runToEnd(m);
    }

    /** The next entry the coordinator would append for the change in progress (null if none). */
    public static MetadataEntry nextStep(ClusterMetadata m) {
        TopologyChange c = m.change();
        if (c == null) {
            return null;
        }
        long e = m.epoch() + 1;
        return switch (c.step()) {
            case PREPARED -> new MetadataEntry.StartChange(e, c.node());
            case WRITES_PENDING -> new MetadataEntry.BeginStreaming(e, c.node());
            case STREAMING -> {
                for (NodeId s : c.streamers()) {
                    if (!c.streamsDone().contains(s)) {
                        yield new MetadataEntry.StreamsDone(e, c.node(), s);
                    }
                }
                yield new MetadataEntry.MidChange(e, c.node());
            }
            case READS_MOVED -> new MetadataEntry.FinishChange(e, c.node());
        };
    }

    public static ClusterMetadata runToEnd(ClusterMetadata m) {
        MetadataEntry next;
        while ((next = nextStep(m)) != null) {
            m = m.apply(next);
        }
        return m;
    }
}
