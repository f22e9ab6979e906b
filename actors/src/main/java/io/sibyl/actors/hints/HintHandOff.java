package io.sibyl.actors.hints;

import io.sibyl.actors.cluster.ClusterMetadata;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.TopologyChange;
import io.sibyl.actors.cluster.TopologyStreaming;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decommissioning node's last streaming step: after its range fetches (none: it gains nothing), it hands
 * every hint it holds for other nodes over to one live remaining node, which stores them as hints for the
 * same targets (Cassandra's StorageService.streamHints / HintsService.transferHints). Without it, the writes
 * a down peer missed and this node hinted would leave with it. The leaving node is one of its own change's
 * streamers (see {@link ClusterMetadata#apply}), so reads do not move before its hints are handed over.
 */
public final class HintHandOff implements TopologyStreaming {

    private static final Logger LOG = LoggerFactory.getLogger(HintHandOff.class);

    /** Sends {@code mutation}, a hint for {@code target}, to {@code holder}'s hint store; completes once durable there. */
    @FunctionalInterface
    public interface Transfer {
        CompletionStage<Void> storeHint(NodeId holder, NodeId target, Mutation mutation);
    }

    private final NodeId self;
    private final TopologyStreaming ranges;
    private final HintService hints;
    private final HintDelivery direct;
    private final Transfer transfer;
    private final Duration timeout;

    /**
     * @param ranges   the range fetches this node runs in a change (done first)
     * @param direct   delivers a hint to its own target (used when the target is the chosen holder)
     * @param transfer hands a hint to another node's hint store
     * @param timeout  how long the whole hand-off may take
     */
    public HintHandOff(NodeId self, TopologyStreaming ranges, HintService hints, HintDelivery direct, Transfer transfer,
                       Duration timeout) {
        this.self = self;
        this.ranges = ranges;
        this.hints = hints;
        this.direct = direct;
        this.transfer = transfer;
        this.timeout = timeout;
    }

    @Override
    public CompletionStage<Void> fetch(ClusterMetadata metadata, RingView view) {
        TopologyChange c = metadata.change();
        CompletionStage<Void> fetched = ranges.fetch(metadata, view);
        if (c == null || c.kind() != TopologyChange.Kind.LEAVE || !c.node().equals(self)) {
            return fetched;
        }
        return fetched.thenCompose(v -> handOff(metadata, view));
    }

    private CompletionStage<Void> handOff(ClusterMetadata metadata, RingView view) {
        if (hints.stats().isEmpty()) {
            LOG.info("decommission of {}: no hints to hand over", self);
            return CompletableFuture.completedFuture(null);
        }
        Optional<NodeId> holder = holder(metadata, view, self);
        if (holder.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("decommission of " + self
                    + ": no live remaining node to hand this node's hints over to"));
        }
        NodeId to = holder.get();
        LOG.info("decommission of {}: handing its hints ({}) over to {}", self, hints.stats(), to);
        return hints.handOff((target, m) -> target.equals(to) ? direct.deliver(target, m) : transfer.storeHint(to, target, m),
                timeout).thenAccept(n -> LOG.info("decommission of {}: {} hints handed over to {}", self, n, to));
    }

    /**
     * The node that takes the hints: a live NORMAL node other than {@code self}, of the same data center
     * when there is one (as Cassandra prefers the closest), the smallest id among them (deterministic).
     */
    static Optional<NodeId> holder(ClusterMetadata metadata, RingView view, NodeId self) {
        NodeRecord me = metadata.nodes().get(self);
        String dc = me == null ? "" : me.info().dc();
        return metadata.nodes().values().stream()
                .filter(r -> r.status() == NodeStatus.NORMAL && !r.id().equals(self) && view.isAlive(r.id()))
                .min(Comparator.<NodeRecord, Boolean>comparing(r -> !r.info().dc().equals(dc)).thenComparing(NodeRecord::id))
                .map(NodeRecord::id);
    }
}
