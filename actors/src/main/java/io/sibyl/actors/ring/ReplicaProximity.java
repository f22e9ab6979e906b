package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orders replicas for reads, in the spirit of Cassandra's DynamicEndpointSnitch: replicas in the
 * local data center first, the local node first, then ring order — unless latency moving averages
 * show a replica much slower than another (see {@link #sortByProximity}). Thread safe: every
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
     * A new list of {@code replicas}, closest first. As Cassandra's dynamic snitch with its badness
     * threshold: the static order — local data center first, the local node first, then the input
     * (ring) order, which differs from key to key and so spreads reads over the replicas — is kept
     * unless a replica in it scores worse than the one at the same place in latency order by more than
     * {@link #BADNESS_THRESHOLD} (×2 by default, Cassandra 4's {@code dynamic_snitch_badness_threshold:
     * 1.0}) and by more than {@link #MIN_DIFFERENCE_NANOS}; then the latency order is used. Sorting by latency alone sent every coordinator's
     * second read to the same replica (measured: one node of three served 3× the reads of another).
     */
    public List<NodeInfo> sortByProximity(List<NodeInfo> replicas) {
        if (replicas.size() < 2) {
            return List.copyOf(replicas);     // RF 1, or one replica left: nothing to order (every RF 1 read)
        }
        // Snapshot scores once so both orders are consistent while other threads record.
        List<Scored> scored = new ArrayList<>(replicas.size());
        for (NodeInfo n : replicas) {
            scored.add(new Scored(n, ewmaNanos.getOrDefault(n.id(), 0.0)));
        }
        Comparator<Scored> localFirst = Comparator.comparingInt((Scored s) -> s.node.dc().equals(localDc) ? 0 : 1)
                .thenComparingInt(s -> s.node.id().equals(localNode) ? 0 : 1);
        List<Scored> base = new ArrayList<>(scored);
        base.sort(localFirst);
        List<Scored> byLatency = new ArrayList<>(scored);
        byLatency.sort(Comparator.comparingInt((Scored s) -> s.node.dc().equals(localDc) ? 0 : 1)
                .thenComparingDouble(s -> s.score)
                .thenComparingInt(s -> s.node.id().equals(localNode) ? 0 : 1));
        List<Scored> chosen = base;
        for (int i = 0; i < base.size(); i++) {
            double worse = base.get(i).score;
            double best = byLatency.get(i).score;
            if (worse > best * (1 + BADNESS_THRESHOLD) && worse - best > MIN_DIFFERENCE_NANOS) {
                chosen = byLatency;
                break;
            }
        }
        List<NodeInfo> out = new ArrayList<>(chosen.size());
        for (Scored s : chosen) {
            out.add(s.node);
        }
        return out;
    }

    private record Scored(NodeInfo node, double score) {
    }
}
