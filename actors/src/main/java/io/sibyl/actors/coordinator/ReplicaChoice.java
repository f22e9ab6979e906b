package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.messaging.PeerLimiter;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * Which live replicas a read asks: the closest ones the level needs ({@code filterForRead} over
 * the replicas sorted by {@link io.sibyl.actors.ring.ReplicaProximity}: this node first when it is
 * a replica, then equally close replicas in a random order), passing over peers that have no free
 * in-flight slot (stalled or overwhelmed) while enough others remain. Slots on the chosen remote
 * replicas are taken here; when the level cannot be met without a saturated peer the read is
 * refused with OverloadedException before anything is sent.
 *
 * @param contacts the replicas asked at once, closest first (the first gets the data request)
 * @param extras   the replica a speculative retry asks (none when every candidate is a contact, and
 *                 never for EACH_QUORUM); no slot is held on it until it is asked
 */
record ReplicaChoice(List<NodeInfo> contacts, List<NodeInfo> extras) {

    static ReplicaChoice choose(ReplicaRequests rq, ReplicationStrategy strategy, String localDc,
                                ConsistencyLevel cl, List<NodeInfo> live) {
        PeerLimiter limiter = rq.client().limiter();
        List<NodeInfo> sorted = rq.proximity().sortByProximity(live);
        List<NodeInfo> available = new ArrayList<>(sorted.size());
        NodeId saturated = null;
        for (NodeInfo n : sorted) {
            if (rq.isSelf(n) || limiter.hasCapacity(n.id())) {
                available.add(n);
            } else if (saturated == null) {
                saturated = n.id();
            }
        }
        if (saturated != null) {
            try {
                cl.assureSufficientLiveNodesForRead(strategy, localDc, available);
            } catch (UnavailableException e) {
                throw new OverloadedException(saturated, limiter.maxPerPeer());
            }
        }
        List<NodeInfo> contacts = cl.filterForRead(strategy, localDc, available);
        List<NodeInfo> extras = List.of();
        if (available.size() > contacts.size()) { // else no replica is left to speculate on (every RF 1 read)
            List<NodeInfo> withExtra = cl.filterForRead(strategy, localDc, available, true);
            if (withExtra.size() > contacts.size()) {
                extras = List.copyOf(withExtra.subList(contacts.size(), withExtra.size()));
            }
        }
        List<NodeId> remote = new ArrayList<>();
        for (NodeInfo n : contacts) {
            if (!rq.isSelf(n)) {
                remote.add(n.id());
            }
        }
        limiter.acquireAll(remote);
        return new ReplicaChoice(contacts, extras);
    }
}
