package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Orders replicas for reads, in the spirit of Cassandra's DynamicEndpointSnitch: replicas in the
 * local data center first, the local node first, then the others in a random order per read, so
 * load spreads evenly — except that a replica whose round-trip latency is much worse than the best
 * other one's goes last (see {@link #sortByProximity}). Thread safe: every request's response can
 * record its latency concurrently.
 *
 * <p>The rule is built so that it cannot feed on itself (docs/adr/040-replica-choice-spread.md):
 * scores never order replicas that are about as good as each other, only demote outliers; the
 * coordinator's own latency (execution only, no round trip) is never compared with remote round
 * trips; and a score that no answer has refreshed for {@link #DEFAULT_SCORE_TTL_NANOS} is forgotten,
 * so a demoted replica — which gets no reads and so no samples — is tried again instead of being
 * penalised forever.
 */
public final class ReplicaProximity {

    /** How much worse than the best score a replica may be before it is demoted (Cassandra 4's {@code dynamic_snitch_badness_threshold: 1.0}: 2x). */
    public static final double BADNESS_THRESHOLD = 1.0;

    /**
     * Latency differences below this never demote. Measured on a loaded 3-node cluster: a busy
     * connection answers faster than an idle one (no thread wake-ups), so ordering by sub-millisecond
     * differences fed on itself and piled reads onto one replica.
     */
    public static final double MIN_DIFFERENCE_NANOS = 2_000_000;

    /** Weight of the newest sample in the exponentially weighted moving average. */
    public static final double DEFAULT_ALPHA = 0.25;

    /**
     * A score older than this (no answer from that replica since) is no longer used: the replica counts
     * as unmeasured (as good as any) and its next answer starts a fresh average. Cassandra resets all
     * its scores every {@code dynamic_snitch_reset_interval} (10 minutes) for the same reason; per
     * replica and short, because a demoted replica gets no reads, so nothing else would refresh it.
     */
    public static final long DEFAULT_SCORE_TTL_NANOS = 1_000_000_000L;

    private final NodeId localNode;
    private final String localDc;
    private final double alpha;
    private final long scoreTtlNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<NodeId, Score> scores = new ConcurrentHashMap<>();

    /** A latency moving average and when it was last fed. */
    private record Score(double ewmaNanos, long updatedNanos) {
    }

    public ReplicaProximity(NodeId localNode, String localDc) {
        this(localNode, localDc, DEFAULT_ALPHA);
    }

    public ReplicaProximity(NodeId localNode, String localDc, double alpha) {
        this(localNode, localDc, alpha, DEFAULT_SCORE_TTL_NANOS, System::nanoTime);
    }

    /**
     * @param scoreTtlNanos how long a score lasts without a new sample
     * @param clock         {@link System#nanoTime()}-like; tests pass their own
     */
    public ReplicaProximity(NodeId localNode, String localDc, double alpha, long scoreTtlNanos, LongSupplier clock) {
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.localDc = Objects.requireNonNull(localDc, "localDc");
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        if (scoreTtlNanos <= 0) {
            throw new IllegalArgumentException("scoreTtlNanos must be positive, was " + scoreTtlNanos);
        }
        this.alpha = alpha;
        this.scoreTtlNanos = scoreTtlNanos;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void recordLatency(NodeId node, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must be non-negative, was " + nanos);
        }
        long now = clock.getAsLong();
        Score fresh = new Score(nanos, now);
        // merge is atomic per key in ConcurrentHashMap: no sample is lost under contention.
        scores.merge(node, fresh, (old, s) -> isStale(old, now) ? s
                : new Score(old.ewmaNanos + alpha * (nanos - old.ewmaNanos), now));
    }

    /** The moving average for {@code node}, if it has been sampled within the score's time to live. */
    public OptionalDouble latencyNanos(NodeId node) {
        Score s = scores.get(node);
        return s == null || isStale(s, clock.getAsLong()) ? OptionalDouble.empty() : OptionalDouble.of(s.ewmaNanos);
    }

    /** Drops a node's history, e.g. when it leaves the ring or comes back after being down. */
    public void forget(NodeId node) {
        scores.remove(node);
    }

    /** Drops all history. */
    public void reset() {
        scores.clear();
    }

    private boolean isStale(Score s, long now) {
        return now - s.updatedNanos > scoreTtlNanos;
    }

    /**
     * A new list of {@code replicas}, closest first: the local data center before the others, and
     * within each data center
     * <ol>
     *   <li>the local node, if it is one of them: its read needs no network hop and no serialization,
     *       so at QUORUM the coordinator reads the data itself and asks one other replica for a
     *       digest. Its own latency (execution only) is not comparable with remote round trips and is
     *       never compared with them;</li>
     *   <li>the other replicas in a random order drawn per call, so that every coordinator spreads its
     *       data and digest reads evenly over equally good replicas;</li>
     *   <li>last, by score, the replicas whose score is worse than the best other replica's of their
     *       data center by more than {@link #BADNESS_THRESHOLD} (×2) and by more than
     *       {@link #MIN_DIFFERENCE_NANOS}. Unmeasured replicas and expired scores count as good.</li>
     * </ol>
     * Only outliers move; the others are never ordered by latency. Measured on a 3-node RF 3 cluster:
     * ordering by latency moving averages piled the digest reads of every coordinator onto one
     * replica (a busy connection answers faster, which fed on itself: 1 : 2 : 3); comparing remote
     * round trips with the coordinator's own execution time made every remote replica an outlier
     * under load, which brought back the latency order (2.5 : 1 : 2.5, docs/performance.md).
     */
    public List<NodeInfo> sortByProximity(List<NodeInfo> replicas) {
        return sortByProximity(replicas, Set.of());
    }

    /**
     * As {@link #sortByProximity(List)}, but among equally good replicas those in {@code preferred}
     * come first (a scan keeps the contacts of its previous token range, so that consecutive ranges
     * merge into one request; which contacts the scan starts with is still random).
     */
    public List<NodeInfo> sortByProximity(List<NodeInfo> replicas, Set<NodeId> preferred) {
        if (replicas.size() < 2) {
            return List.copyOf(replicas);     // RF 1, or one replica left: nothing to order (every RF 1 read)
        }
        long now = clock.getAsLong();
        List<NodeInfo> out = new ArrayList<>(replicas.size());
        List<NodeInfo> otherDcs = new ArrayList<>();
        List<NodeInfo> local = new ArrayList<>(replicas.size());
        for (NodeInfo n : replicas) {
            (n.dc().equals(localDc) ? local : otherDcs).add(n);
        }
        orderWithinDc(local, preferred, now, out);
        if (!otherDcs.isEmpty()) {
            // Other data centers keep their input order among themselves (grouped by DC, each spread).
            Map<String, List<NodeInfo>> byDc = new LinkedHashMap<>();
            for (NodeInfo n : otherDcs) {
                byDc.computeIfAbsent(n.dc(), d -> new ArrayList<>()).add(n);
            }
            for (List<NodeInfo> dc : byDc.values()) {
                orderWithinDc(dc, preferred, now, out);
            }
        }
        return out;
    }

    private void orderWithinDc(List<NodeInfo> dc, Set<NodeId> preferred, long now, List<NodeInfo> out) {
        if (dc.isEmpty()) {
            return;
        }
        // Snapshot scores once so the order is consistent while other threads record.
        NodeInfo self = null;
        List<NodeInfo> others = new ArrayList<>(dc.size());
        double[] score = new double[dc.size()];
        double best = Double.MAX_VALUE;
        for (NodeInfo n : dc) {
            if (n.id().equals(localNode)) {
                self = n;
                continue;
            }
            Score s = scores.get(n.id());
            double v = s == null || isStale(s, now) ? 0.0 : s.ewmaNanos;   // unmeasured: as good as any
            score[others.size()] = v;
            others.add(n);
            best = Math.min(best, v);
        }
        if (self != null) {
            out.add(self);
        }
        List<NodeInfo> fair = new ArrayList<>(others.size());
        List<Scored> slow = new ArrayList<>(0);
        for (int i = 0; i < others.size(); i++) {
            if (score[i] > best * (1 + BADNESS_THRESHOLD) && score[i] - best > MIN_DIFFERENCE_NANOS) {
                slow.add(new Scored(others.get(i), score[i]));
            } else {
                fair.add(others.get(i));
            }
        }
        Collections.shuffle(fair, ThreadLocalRandom.current());
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
