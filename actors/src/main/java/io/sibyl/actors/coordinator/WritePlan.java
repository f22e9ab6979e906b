package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.storage.data.Mutation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One mutation's replicas at one consistency level (Cassandra's {@code ReplicaPlan.ForWrite}): those
 * it is sent to ({@code live}), those that get a hint instead ({@code down}), the pending replicas
 * among both (nodes gaining the token in a topology change in progress), and the acks the write waits
 * for ({@code blockFor}: the level's count plus one per counted pending replica, Cassandra's
 * {@code totalBlockFor}). Immutable.
 *
 * @param live     natural and pending replicas that are alive (after {@link WriteExecutor}'s reservation:
 *                 those that also had a free in-flight slot), in ring order, naturals first
 * @param down     natural and pending replicas that are down (or were saturated): hinted, never sent to
 * @param pending  every pending replica of the token, live or down (a subset of live + down)
 */
record WritePlan(Mutation mutation, ReplicationStrategy strategy, List<NodeInfo> live, List<NodeInfo> down,
                 List<NodeInfo> pending, int blockFor) {

    WritePlan {
        live = List.copyOf(live);
        down = List.copyOf(down);
        pending = List.copyOf(pending);
    }

    /**
     * Plans a write: a pure function of the token's natural and pending replicas, their liveness, the
     * level and the local data center. Pending replicas that are also natural ones (they should not be)
     * count once, as natural replicas. Checks nothing: see {@link #assureSufficientLiveReplicas}.
     */
    static WritePlan of(Mutation mutation, ReplicationStrategy strategy, List<NodeInfo> natural,
                        List<NodeInfo> pending, Predicate<NodeId> isAlive, ConsistencyLevel cl, String localDc) {
        Set<NodeId> seen = new HashSet<>();
        for (NodeInfo n : natural) {
            seen.add(n.id());
        }
        List<NodeInfo> onlyPending = new ArrayList<>(pending.size());
        for (NodeInfo p : pending) {
            if (seen.add(p.id())) {
                onlyPending.add(p);
            }
        }
        List<NodeInfo> live = new ArrayList<>(natural.size() + onlyPending.size());
        List<NodeInfo> down = new ArrayList<>();
        for (NodeInfo r : natural) {
            (isAlive.test(r.id()) ? live : down).add(r);
        }
        for (NodeInfo r : onlyPending) {
            (isAlive.test(r.id()) ? live : down).add(r);
        }
        return new WritePlan(mutation, strategy, live, down, onlyPending, cl.blockForWrite(strategy, localDc, onlyPending));
    }

    /**
     * @return this plan
     * @throws io.sibyl.actors.consistency.UnavailableException when fewer natural + pending replicas are
     *         alive than {@code cl} needs with the pending ones counted (for LOCAL_* levels: in the local
     *         data center; for EACH_QUORUM: in each data center), so nothing must be sent
     */
    WritePlan assureSufficientLiveReplicas(ConsistencyLevel cl, String localDc) {
        cl.assureSufficientLiveNodesForWrite(strategy, localDc, live, pending);
        return this;
    }

    /** The same plan sending only to {@code sendable}; {@code skipped} live replicas are hinted like down ones. */
    WritePlan sendingTo(List<NodeInfo> sendable, List<NodeInfo> skipped) {
        List<NodeInfo> hinted = new ArrayList<>(down.size() + skipped.size());
        hinted.addAll(down);
        hinted.addAll(skipped);
        return new WritePlan(mutation, strategy, sendable, hinted, pending, blockFor);
    }

    /** This node is the one replica (RF 1, nothing pending): the write needs no messaging at all. */
    boolean isLocalOnly(NodeId self) {
        return down.isEmpty() && pending.isEmpty() && live.size() == 1 && live.get(0).id().equals(self);
    }
}
