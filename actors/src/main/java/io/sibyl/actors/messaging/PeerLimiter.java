package io.sibyl.actors.messaging;

import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.ring.NodeId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests in flight from this node to each peer ({@code max_in_flight_per_peer}).
 * Artery drops messages once its outbound queue overflows, and a dropped request would only show as
 * a timeout; refusing up front with {@link OverloadedException} tells the client to back off instead.
 */
public final class PeerLimiter {

    private final int maxPerPeer;
    private final ConcurrentHashMap<NodeId, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public PeerLimiter(int maxPerPeer) {
        if (maxPerPeer < 1) {
            throw new IllegalArgumentException("max_in_flight_per_peer must be at least 1, was " + maxPerPeer);
        }
        this.maxPerPeer = maxPerPeer;
    }

    /** Takes one slot on {@code peer}. @throws OverloadedException if it has none left */
    public void acquire(NodeId peer) {
        if (!tryAcquire(peer)) {
            throw new OverloadedException(peer, maxPerPeer);
        }
    }

    /** Takes one slot on {@code peer} if it has one. */
    public boolean tryAcquire(NodeId peer) {
        AtomicInteger n = inFlight.computeIfAbsent(peer, p -> new AtomicInteger());
        if (n.incrementAndGet() > maxPerPeer) {
            n.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Whether {@code peer} has a free slot now (a hint for choosing replicas; may change at once). */
    public boolean hasCapacity(NodeId peer) {
        return inFlight(peer) < maxPerPeer;
    }

    /** Takes one slot on each peer (a peer listed twice takes two), or none at all. */
    public void acquireAll(Collection<NodeId> peers) {
        List<NodeId> taken = new ArrayList<>(peers.size());
        try {
            for (NodeId p : peers) {
                acquire(p);
                taken.add(p);
            }
        } catch (OverloadedException e) {
            for (NodeId p : taken) {
                release(p);
            }
            throw e;
        }
    }

    public void release(NodeId peer) {
        AtomicInteger n = inFlight.get(peer);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /** Requests now in flight to {@code peer}. */
    public int inFlight(NodeId peer) {
        AtomicInteger n = inFlight.get(peer);
        return n == null ? 0 : n.get();
    }

    public int maxPerPeer() {
        return maxPerPeer;
    }
}
