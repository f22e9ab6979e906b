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
 * <p>The rule is built so that it cannot feed on itself (docs/adr/042-replica-choice-spread.md):
 * scores never order replicas that are about as good as each other, only demote outliers; a score
 * is the median of a replica's recent answers, so single slow answers demote nothing; the
 * coordinator's own latency (execution only, no round trip) is never compared with remote round
 * trips, and an unmeasured replica never demotes a measured one; a score that no answer has
 * refreshed for {@link #DEFAULT_SCORE_TTL_NANOS} is forgotten, so a demoted replica — which gets no
 * reads and so no answers — is tried again instead of being penalised forever. A replica that keeps
 * requests unanswered for over {@link #MIN_SILENCE_NANOS} is scored by that silence, so a stalled
 * replica is demoted before its first timeout (and the expiry of its score) could tell.
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

    /**
     * Silence shorter than this never demotes: with one or two requests outstanding the silence is the
     * age of a single request, and single answers at p99 are no sign of a slow replica (the median is
     * for those). Longer silences are stalls: a GC pause, a disk stall, a partition not yet detected.
     */
    public static final long MIN_SILENCE_NANOS = 100_000_000L;

    /** A replica's score is the median of its last this many answers. */
    public static final int WINDOW = 16;

    /** Fewer answers than this (since the score last expired) are no score: the replica counts as unmeasured. */
    public static final int MIN_SAMPLES = 3;

    /**
     * A score older than this (no answer from that replica since) is no longer used: the replica counts
     * as unmeasured (as good as any) and its next answers start a fresh window. Cassandra resets all
     * its scores every {@code dynamic_snitch_reset_interval} (10 minutes) for the same reason; per
     * replica and short here, because a demoted replica gets no reads, so nothing else would refresh it.
     */
    public static final long DEFAULT_SCORE_TTL_NANOS = 1_000_000_000L;

    private final NodeId localNode;
    private final String localDc;
    private final long scoreTtlNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<NodeId, Window> scores = new ConcurrentHashMap<>();

    public ReplicaProximity(NodeId localNode, String localDc) {
        this(localNode, localDc, DEFAULT_SCORE_TTL_NANOS, System::nanoTime);
    }

    /**
     * @param scoreTtlNanos how long a score lasts without a new answer
     * @param clock         {@link System#nanoTime()}-like; tests pass their own
     */
    public ReplicaProximity(NodeId localNode, String localDc, long scoreTtlNanos, LongSupplier clock) {
        this.localNode = Objects.requireNonNull(localNode, "localNode");
        this.localDc = Objects.requireNonNull(localDc, "localDc");
        if (scoreTtlNanos <= 0) {
            throw new IllegalArgumentException("scoreTtlNanos must be positive, was " + scoreTtlNanos);
        }
        this.scoreTtlNanos = scoreTtlNanos;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A request to {@code node} went out. While requests are outstanding and none is answered, the
     * silence counts as a latency (a stalled replica is demoted before its first timeout comes back),
     * so every call must be followed by {@link #recordLatency} or {@link #requestEnded}.
     */
    public void requestSent(NodeId node) {
        scores.computeIfAbsent(node, n -> new Window()).sent(clock.getAsLong());
    }

    /** A request to {@code node} ended without a latency worth recording (a failure that is no timeout). */
    public void requestEnded(NodeId node) {
        Window w = scores.get(node);
        if (w != null) {
            w.ended(clock.getAsLong());
        }
    }

    /** An answer from {@code node} took {@code nanos} (a timeout counts as the timeout); ends a request. */
    public void recordLatency(NodeId node, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("latency must be non-negative, was " + nanos);
        }
        scores.computeIfAbsent(node, n -> new Window()).record(nanos, clock.getAsLong(), scoreTtlNanos);
    }

    /** The median of {@code node}'s recent answers, if it has a score (enough answers, none expired). */
    public OptionalDouble latencyNanos(NodeId node) {
        double v = scoreOf(node, clock.getAsLong());
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Drops a node's history, e.g. when it leaves the ring or comes back after being down. */
    public void forget(NodeId node) {
        scores.remove(node);
    }

    /** Drops all history. */
    public void reset() {
        scores.clear();
    }

    /** The score, or NaN when there is none (unmeasured, too few answers, or expired). */
    private double scoreOf(NodeId node, long now) {
        Window w = scores.get(node);
        return w == null ? Double.NaN : w.score(now, scoreTtlNanos);
    }

    /** How long {@code node} has kept requests unanswered (0 when none is outstanding). */
    private long silenceOf(NodeId node, long now) {
        Window w = scores.get(node);
        return w == null ? 0 : w.silence(now);
    }

    /**
     * The last {@link #WINDOW} answers of one replica. A median rather than a moving average: under load
     * single answers take 10-20x the typical one (p99 against p50), and an average that one such answer
     * doubles demoted healthy replicas at random. Recording sorts 16 longs; reads see a volatile score.
     */
    private static final class Window {
        private final long[] samples = new long[WINDOW];
        private int count;
        private int next;
        private long updatedNanos;
        private volatile double median = Double.NaN;
        private volatile long medianAt;
        private int outstanding;
        /** Since when the replica has answered nothing while requests were outstanding. */
        private volatile long silentSince;
        private volatile boolean waiting;

        synchronized void sent(long now) {
            if (outstanding++ == 0) {
                silentSince = now;
                waiting = true;
            }
        }

        synchronized void ended(long now) {
            if (outstanding > 0 && --outstanding == 0) {
                waiting = false;
            }
            silentSince = now;
        }

        long silence(long now) {
            return waiting ? now - silentSince : 0;
        }

        synchronized void record(long nanos, long now, long ttl) {
            ended(now);
            if (count > 0 && now - updatedNanos > ttl) {
                count = 0;                       // expired: history, not evidence; start a fresh window
                next = 0;
            }
            samples[next] = nanos;
            next = (next + 1) % WINDOW;
            count = Math.min(count + 1, WINDOW);
            updatedNanos = now;
            if (count >= MIN_SAMPLES) {
                long[] sorted = java.util.Arrays.copyOf(samples, count);
                java.util.Arrays.sort(sorted);
                median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0;
            } else {
                median = Double.NaN;
            }
            medianAt = now;
        }

        double score(long now, long ttl) {
            double m = median;
            return now - medianAt > ttl ? Double.NaN : m;       // a stalled replica is caught by its silence
        }
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
     *   <li>last, by score, the replicas whose score is worse than the best score of the other replicas
     *       of their data center by more than {@link #BADNESS_THRESHOLD} (×2) and by more than
     *       {@link #MIN_DIFFERENCE_NANOS}. Replicas without a score (unmeasured, fewer than
     *       {@link #MIN_SAMPLES} answers, or expired) count as good and are not the best score. A
     *       silence (requests outstanding, none answered) over {@link #MIN_SILENCE_NANOS} counts as
     *       the replica's score when it is worse, and demotes the replica even when no other replica
     *       has a measured score (all expired: a stall is still a stall).</li>
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
        double best = Double.NaN;
        for (NodeInfo n : dc) {
            if (n.id().equals(localNode)) {
                self = n;
                continue;
            }
            double v = scoreOf(n.id(), now);
            score[others.size()] = v;
            others.add(n);
            if (!Double.isNaN(v) && !(v >= best)) {
                best = v;                         // the best measured score: unmeasured replicas never demote others
            }
        }
        if (self != null) {
            out.add(self);
        }
        List<NodeInfo> fair = new ArrayList<>(others.size());
        List<Scored> slow = new ArrayList<>(0);
        for (int i = 0; i < others.size(); i++) {
            // Silence while requests are outstanding is a lower bound of the replica's latency; it may
            // demote (a stalled replica), never make a replica the best. NaN (unmeasured) compares false.
            long silence = silenceOf(others.get(i).id(), now);
            if (silence < MIN_SILENCE_NANOS) {
                silence = 0;
            }
            double v = silence == 0 ? score[i] : Double.isNaN(score[i]) ? silence : Math.max(score[i], silence);
            boolean stalled = silence > 0 && Double.isNaN(best);   // no measured baseline: a stall still demotes
            if (stalled || v > best * (1 + BADNESS_THRESHOLD) && v - best > MIN_DIFFERENCE_NANOS) {
                slow.add(new Scored(others.get(i), v));
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
