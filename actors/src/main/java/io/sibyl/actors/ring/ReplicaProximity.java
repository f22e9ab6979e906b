package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orders replicas for reads, in the spirit of Cassandra's DynamicEndpointSnitch: replicas in the
 * local data center first, the local node first, then the others in a random order per read, so
 * load spreads evenly — except that a replica whose latency moving average is much worse than the
 * best one's goes last (see {@link #sortByProximity}). Thread safe: every
 * request's response can record its latency concurrently.
 *
 * <p>A replica with no samples scores 0 (as fast as possible), so a new or recovered node is
 * tried and gets measured rather than starved.
 */
public final class ReplicaProximity {

    /** How much worse than the latency order the static order may be before latency decides. */
    public static final double BADNESS_THRESHOLD = 1.0;

    /**
     * Latency differences below this never reorder. Measured on a loaded 3-node cluster: a busy
     * connection answers faster than an idle one (no thread wake-ups), so ordering by sub-millisecond
     * differences fed on itself and piled reads onto one replica.
     */
    public static final double MIN_DIFFERENCE_NANOS = 2_000_000;

    /** Weight of the newest sample in the exponentially weighted moving average. */
    public static final double DEFAULT_ALPHA = 0.25;

    private final NodeId localNode;
    private final String localDc;
    private final double alpha;
    private final ConcurrentHashMap<NodeId, Double> ewmaNanos = new ConcurrentHashMap<>();

    public ReplicaProximity(NodeId localNode, String localDc) {
        this(localNode, localDc, DEFAULT_ALPHA);
    }

    public ReplicaProximity(NodeId localNode, String localDc, double alpha) {
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.localDc = Objects.requireNonNull(localDc, "localDc");
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        this.alpha = alpha;
    }

    public void recordLatency(NodeId node, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must be non-negative, was " + nanos);
        }
        double sample = nanos;
        // merge is atomic per key in ConcurrentHashMap: no sample is lost under contention.
        ewmaNanos.merge(node, sample, (old, s) -> old + alpha * (s - old));
    }

    /** The moving average for {@code node}, if it has been sampled. */
    public OptionalDouble latencyNanos(NodeId node) {
        Double v = ewmaNanos.get(node);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Drops a node's history, e.g. when it leaves the ring or comes back after being down. */
    public void forget(NodeId node) {
        ewmaNanos.remove(node);
    }

    /** Drops all history (Cassandra resets its scores periodically so old outliers fade). */
    public void reset() {
        ewmaNanos.clear();
    }

    /**
     * A new list of {@code replicas}, closest first: the local data center before the others, and
     * within each data center
     * <ol>
     *   <li>the local node, if it is one of them (its read needs no network hop and no serialization,
     *       and its measured latency — execution only — is not comparable with remote round trips);</li>
     *   <li>the other replicas in a random order drawn per call, so that every coordinator spreads its
     *       data and digest reads evenly over equally close replicas;</li>
     *   <li>last, by latency, the replicas that score worse than the best of their data center by more
     *       than {@link #BADNESS_THRESHOLD} (×2, Cassandra 4's {@code dynamic_snitch_badness_threshold:
     *       1.0}) and by more than {@link #MIN_DIFFERENCE_NANOS}.</li>
     * </ol>
     * Only outliers move; the others are never ordered by latency. Measured on a 3-node RF 3 cluster:
     * ordering by latency moving averages piled the digest reads of every coordinator onto one
     * replica (a busy connection answers faster, which fed on itself: 1 : 2 : 3), and the ring order
     * that replaced it still sent each coordinator's digests mostly to the same neighbour (230,505
     * local reads on one node, 115,629 and 114,912 on the others).
     */
    public List<NodeInfo> sortByProximity(List<NodeInfo> replicas) {
        return sortByProximity(replicas, java.util.Set.of());
    }

    /**
     * As {@link #sortByProximity(List)}, but among equally close replicas those in {@code preferred}
     * come first (a scan keeps the contacts of its previous token range, so that consecutive ranges
     * merge into one request; which contacts the scan starts with is still random).
     */
    public List<NodeInfo> sortByProximity(List<NodeInfo> replicas, java.util.Set<NodeId> preferred) {
        if (replicas.size() < 2) {
            return List.copyOf(replicas);     // RF 1, or one replica left: nothing to order (every RF 1 read)
        }
        List<NodeInfo> out = new ArrayList<>(replicas.size());
        List<NodeInfo> otherDcs = new ArrayList<>();
        List<NodeInfo> local = new ArrayList<>(replicas.size());
        for (NodeInfo n : replicas) {
            (n.dc().equals(localDc) ? local : otherDcs).add(n);
        }
        orderWithinDc(local, preferred, out);
        if (!otherDcs.isEmpty()) {
            // Other data centers keep their input order among themselves (grouped by DC, each spread).
            java.util.Map<String, List<NodeInfo>> byDc = new java.util.LinkedHashMap<>();
            for (NodeInfo n : otherDcs) {
                byDc.computeIfAbsent(n.dc(), d -> new ArrayList<>()).add(n);
            }
            for (List<NodeInfo> dc : byDc.values()) {
                orderWithinDc(dc, preferred, out);
            }
        }
        return out;
    }

    private void orderWithinDc(List<NodeInfo> dc, java.util.Set<NodeId> preferred, List<NodeInfo> out) {
        if (dc.isEmpty()) {
            return;
        }
        // Snapshot scores once so the order is consistent while other threads record.
        List<Scored> scored = new ArrayList<>(dc.size());
        double best = Double.MAX_VALUE;
        for (NodeInfo n : dc) {
            double score = ewmaNanos.getOrDefault(n.id(), 0.0);
            scored.add(new Scored(n, score));
            best = Math.min(best, score);
        }
        NodeInfo self = null;
        List<NodeInfo> fair = new ArrayList<>(dc.size());
        List<Scored> slow = new ArrayList<>(0);
        for (Scored s : scored) {
            if (s.node.id().equals(localNode)) {
                self = s.node;
            } else if (s.score > best * (1 + BADNESS_THRESHOLD) && s.score - best > MIN_DIFFERENCE_NANOS) {
                slow.add(s);
            } else {
                fair.add(s.node);
            }
        }
        if (self != null) {
            out.add(self);
        }
        java.util.Collections.shuffle(fair, java.util.concurrent.ThreadLocalRandom.current());
        if (!preferred.isEmpty()) {
            fair.sort(Comparator.comparingInt(n -> preferred.contains(n.id()) ? 0 : 1)); // stable: shuffled within each part
        }
        out.addAll(fair);
        slow.sort(Comparator.comparingDouble(Scored::score));
        for (Scored s : slow) {
            out.add(s.node);
        }
    }

    private record Scored(NodeInfo node, double score) {
    }
}
