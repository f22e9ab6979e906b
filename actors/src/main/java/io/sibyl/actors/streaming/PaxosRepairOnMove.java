package io.sibyl.actors.streaming;

import io.sibyl.actors.cluster.ClusterMetadata;
import io.sibyl.actors.cluster.RangeMovements;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.TopologyChange;
import io.sibyl.actors.cluster.TopologyStreaming;
import io.sibyl.actors.paxos.PaxosReplica;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.schema.TableMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paxos repair at the read-move barrier (Cassandra 4.1's Paxos v2 repair on topology change): once a
 * streamer has fetched its ranges, {@code system.paxos} included, and before it reports its streams done
 * (reads move only after every streamer has), it finishes every LWT decision still in flight in the ranges
 * it gains: each partition whose copied state holds a proposal accepted but not committed gets a Paxos round
 * that re-proposes and commits it (a CAS that writes nothing else). The round's participants are the
 * natural and pending replicas, this node among them, so the decision is committed on the old owners and
 * this node alike and its state here is current: a value a quorum of old owners accepted is never lost when
 * the new owner's first prepare comes after reads moved.
 */
public final class PaxosRepairOnMove implements TopologyStreaming {

    private static final Logger LOG = LoggerFactory.getLogger(PaxosRepairOnMove.class);

    /** Finishes the Paxos state of one partition: a round that completes an in-progress proposal. */
    @FunctionalInterface
    public interface Repairer {
        CompletionStage<?> repair(TableMetadata table, DecoratedKey key);
    }

    private final NodeId self;
    private final TopologyStreaming ranges;
    private final Supplier<Map<String, ReplicationStrategy>> keyspaces;
    private final PaxosReplica paxos;
    private final Function<UUID, TableMetadata> tables;
    private final Repairer repairer;

    public PaxosRepairOnMove(NodeId self, TopologyStreaming ranges, Supplier<Map<String, ReplicationStrategy>> keyspaces,
                             PaxosReplica paxos, Function<UUID, TableMetadata> tables, Repairer repairer) {
        this.self = self;
        this.ranges = ranges;
        this.keyspaces = keyspaces;
        this.paxos = paxos;
        this.tables = tables;
        this.repairer = repairer;
    }

    @Override
    public CompletionStage<Void> fetch(ClusterMetadata metadata, RingView view) {
        return ranges.fetch(metadata, view).thenCompose(v -> repair(metadata));
    }

    /** Repairs the in-flight Paxos state of the ranges this node gains in the change of {@code metadata}. */
    public CompletionStage<Void> repair(ClusterMetadata metadata) {
        List<PaxosReplica.PaxosKey> keys = inFlight(metadata);
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        TopologyChange c = metadata.change();
        LOG.info("{} of {}: finishing {} in-flight LWT decisions in the ranges node {} gains before reads move",
                c.kind(), c.node(), keys.size(), self);
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        for (PaxosReplica.PaxosKey k : keys) {
            chain = chain.thenCompose(v -> repairer.repair(k.table(), k.key()).handle((r, e) -> {
                if (e != null) {
                    throw new StreamException("Paxos repair of " + k.table().keyspace() + "." + k.table().name()
                            + " partition at token " + k.key().token() + " failed before reads move: " + e, e);
                }
                return null;
            }));
        }
        return chain.thenRun(() -> LOG.info("{} of {}: {} in-flight LWT decisions finished", c.kind(), c.node(),
                keys.size()));
    }

    /** The partitions of the ranges this node gains whose Paxos state here has an uncommitted accepted proposal. */
    public List<PaxosReplica.PaxosKey> inFlight(ClusterMetadata metadata) {
        if (metadata.change() == null) {
            return List.of();
        }
        Map<String, List<TokenRange>> gained = new HashMap<>();
        for (Map.Entry<String, ReplicationStrategy> ks : keyspaces.get().entrySet()) {
            List<TokenRange> rs = new ArrayList<>();
            for (RangeMovements.Movement m : RangeMovements.gainedBy(metadata.currentRing(), metadata.futureRing(),
                    ks.getValue(), self)) {
                rs.add(m.range());
            }
            if (!rs.isEmpty()) {
                gained.put(ks.getKey(), rs);
            }
        }
        if (gained.isEmpty()) {
            return List.of();
        }
        List<PaxosReplica.PaxosKey> out = new ArrayList<>();
        for (PaxosReplica.PaxosKey k : paxos.uncommitted(tables,
                t -> gained.values().stream().anyMatch(rs -> rs.stream().anyMatch(r -> r.contains(t))))) {
            List<TokenRange> rs = gained.get(k.table().keyspace());
            if (rs != null && rs.stream().anyMatch(r -> r.contains(k.key().token()))) {
                out.add(k);
            }
        }
        return out;
    }
}
