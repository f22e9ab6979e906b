package io.sibyl.actors.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The greedy behind {@link TokenAllocator#forJoiningNode}: tokens for a node joining a data center whose
 * nodes already hold at least {@code rf} replicas' worth of ranges, chosen one at a time so that replicated
 * ownership (each node's share of the ring counting every range it holds a replica of) evens out, as
 * Cassandra's {@code allocate_tokens_for_local_replication_factor} does.
 *
 * <p>Each step tries the midpoint of every range of the local data center's ring (the new node's own
 * ranges included) and keeps the one after which the largest replicated ownership is smallest, the joining
 * node's own counted with the fair share its remaining tokens will add (after k of n tokens, plus (n-k)/n of
 * the mean). Ties go to the smaller squared distance of every node from its target (the mean for the
 * others, k/n of it for the joining node), then to the lower range index, so a ring always gets the same
 * tokens. A candidate is scored from the ranges its token changes only: the range it
 * splits and the ranges before it whose replica walk reaches it; everything else keeps its replicas.
 *
 * <p>Replicas are counted as the local data center's replication places them: the first {@code rf} nodes of
 * distinct racks when the data center has at least {@code rf} racks (NetworkTopologyStrategy), otherwise the
 * first {@code rf} distinct nodes (SimpleStrategy, or NTS in one rack). With more than one but fewer than
 * {@code rf} racks NTS fills the missing replicas from skipped nodes of used racks; counting distinct nodes
 * is then an approximation, as in Cassandra's allocator.
 */
final class ReplicationAwareTokenAllocation {

    private static final double RING_SIZE = 0x1p64;

    private final int rf;
    private final int newNode;            // index of the joining node in group[] and own[]
    private final int[] group;            // node index -> replica group (rack or the node itself)
    private final Set<Long> taken;        // every token on the whole ring, and those chosen so far

    private long[] tokens;                // the local data center's tokens, sorted
    private int[] owner;                  // node index owning tokens[i]
    private int[][] replicas;             // replicas of range i = (tokens[i - 1], tokens[i]]
    private int[] walkLength;             // tokens the replica walk of range i visited
    private int maxWalk;
    private double[] own;                 // replicated ownership per node, as a fraction of the ring

    // scratch for scoring candidates
    private final double[] delta;
    private final int[] walkBuffer;
    private final int[] groupsSeen;

    private ReplicationAwareTokenAllocation(TokenRing ring, NodeInfo joining, int rf) {
        this.rf = rf;
        List<NodeInfo> local = new ArrayList<>();
        for (NodeInfo n : ring.nodes()) {
            if (n.dc().equals(joining.dc())) {
                local.add(n);
            }
        }
        Map<NodeId, Integer> index = new HashMap<>();
        for (NodeInfo n : local) {
            index.put(n.id(), index.size());
        }
        this.newNode = local.size();
        int nodes = local.size() + 1;
        Set<String> racks = new LinkedHashSet<>();
        local.forEach(n -> racks.add(n.rack()));
        racks.add(joining.rack());
        boolean byRack = racks.size() >= rf;
        List<String> rackOrder = new ArrayList<>(racks);
        this.group = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            NodeInfo n = i == newNode ? joining : local.get(i);
            group[i] = byRack ? rackOrder.indexOf(n.rack()) : i;
        }
        this.taken = ring.tokenSet();
        List<Long> localTokens = new ArrayList<>();
        List<Integer> localOwners = new ArrayList<>();
        for (int i = 0; i < ring.tokenCount(); i++) {
            Integer o = index.get(ring.ownerAt(i).id());
            if (o != null) {
                localTokens.add(ring.tokenAt(i));
                localOwners.add(o);
            }
        }
        this.tokens = localTokens.stream().mapToLong(Long::longValue).toArray();
        this.owner = localOwners.stream().mapToInt(Integer::intValue).toArray();
        this.delta = new double[nodes];
        this.walkBuffer = new int[rf];
        this.groupsSeen = new int[rf];
        recompute();
    }

    /** {@code numTokens} tokens for {@code joining}; the caller has checked the local DC has at least rf nodes. */
    static List<Long> allocate(TokenRing ring, NodeInfo joining, int numTokens, int rf) {
        ReplicationAwareTokenAllocation a = new ReplicationAwareTokenAllocation(ring, joining, rf);
        List<Long> chosen = new ArrayList<>(numTokens);
        for (int k = 0; k < numTokens; k++) {
            a.progress = (k + 1) / (double) numTokens;
            chosen.add(a.addBestToken());
        }
        chosen.sort(null);
        return List.copyOf(chosen);
    }

    // ------------------------------------------------------------------ one step

    private long addBestToken() {
        int n = tokens.length;
        double total = 0;
        for (double o : own) {
            total += o;
        }
        // Where the joining node should be after this token (its share grows with each of its tokens),
        // and where that leaves everyone else.
        double mean = total / own.length;
        double targetNew = mean * progress;
        double targetOld = (total - targetNew) / (own.length - 1);
        int bestRange = -1;
        long bestToken = 0;
        double bestMax = Double.MAX_VALUE;
        double bestSpread = Double.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            long candidate = freeMidpoint(j);
            if (candidate == Long.MIN_VALUE) {
                continue; // no free token inside this range
            }
            score(j, candidate);
            double max = 0;
            double spread = 0;
            for (int node = 0; node < own.length; node++) {
                double o = own[node] + delta[node];
                // The joining node's ownership counts as what it will be once its other tokens have added
                // their fair share each; otherwise its first tokens would grab as much as the largest owner has.
                max = Math.max(max, node == newNode ? o + (1 - progress) * mean : o);
                double d = o - (node == newNode ? targetNew : targetOld);
                spread += d * d;
            }
            // Relative tolerance: candidates equal but for rounding keep the earlier one.
            if (max < bestMax * (1 - 1e-12) || (max <= bestMax * (1 + 1e-12) && spread < bestSpread * (1 - 1e-12))) {
                bestMax = max;
                bestSpread = spread;
                bestRange = j;
                bestToken = candidate;
            }
        }
        if (bestRange < 0) {
            throw new IllegalStateException("no free token left on a ring of " + n + " tokens");
        }
        insert(bestRange, bestToken);
        return bestToken;
    }

    /**
     * A free token inside range j, near its midpoint (a token of another data center may sit exactly
     * there), or {@code Long.MIN_VALUE} (never a node's token) if there is none.
     */
    private long freeMidpoint(int j) {
        long left = tokens[(j - 1 + tokens.length) % tokens.length];
        long width = tokens[j] - left;                       // unsigned; 0 means the whole ring (one token)
        long half = width == 0 ? Long.MIN_VALUE : width >>> 1; // Long.MIN_VALUE is 2^63 as an unsigned offset
        if (half == 0) {
            return Long.MIN_VALUE;                           // adjacent tokens
        }
        for (long offset = half; offset != half + 64; offset++) {
            if (width != 0 && Long.compareUnsigned(offset, width) >= 0) {
                return Long.MIN_VALUE;                       // reached the range's end
            }
            long t = left + offset;
            if (t != Long.MIN_VALUE && !taken.contains(t)) {
                return t;
            }
        }
        return Long.MIN_VALUE;
    }

    /** Fills {@link #delta} with the change in each node's ownership if {@code t} were added inside range j. */
    private void score(int j, long t) {
        Arrays.fill(delta, 0);
        int n = tokens.length;
        long left = tokens[(j - 1 + n) % n];
        double splitOff = fraction(left, t);       // (left, t] leaves range j's replicas
        for (int r : replicas[j]) {
            delta[r] -= splitOff;
        }
        int count = walk(j, true, -1);             // ... and goes to the new node and the walk after it
        for (int k = 0; k < count; k++) {
            delta[walkBuffer[k]] += splitOff;
        }
        // Ranges before j whose walk reached index j now meet the new node first.
        for (int back = 1; back < Math.max(maxWalk, 1) && back < n; back++) {
            int i = (j - back + n) % n;
            if (walkLength[i] <= back) {
                continue;
            }
            double f = fraction(tokens[(i - 1 + n) % n], tokens[i]);
            for (int r : replicas[i]) {
                delta[r] -= f;
            }
            count = walk(i, false, j);
            for (int k = 0; k < count; k++) {
                delta[walkBuffer[k]] += f;
            }
        }
    }

    /**
     * The replicas of a range, into {@link #walkBuffer}: walks the ring from token {@code start} taking the
     * first node of each new group until rf groups. The joining node is met first if {@code newFirst}, or
     * just before token {@code newBefore} (-1: not at all, or already on the ring).
     */
    private int walk(int start, boolean newFirst, int newBefore) {
        int n = tokens.length;
        int count = 0;
        int seen = 0;
        if (newFirst) {
            walkBuffer[count++] = newNode;
            groupsSeen[seen++] = group[newNode];
        }
        for (int step = 0; step < n && count < rf; step++) {
            int idx = (start + step) % n;
            if (idx == newBefore && count < rf) {
                int g = group[newNode];
                if (!contains(groupsSeen, seen, g)) {
                    walkBuffer[count++] = newNode;
                    groupsSeen[seen++] = g;
                }
                if (count == rf) {
                    break;
                }
            }
            int o = owner[idx];
            int g = group[o];
            if (!contains(groupsSeen, seen, g)) {
                walkBuffer[count++] = o;
                groupsSeen[seen++] = g;
            }
            lastWalk = step + 1;
        }
        return count;
    }

    private int lastWalk;                 // tokens the last walk visited
    private double progress = 1;          // share of the joining node's tokens placed once this step's is

    private static boolean contains(int[] a, int len, int v) {
        for (int i = 0; i < len; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ state

    private void insert(int j, long t) {
        int n = tokens.length;
        // Range j = (tokens[j-1], tokens[j]]; t lies inside it, so it goes right before index j (or last).
        int at = j;
        if (j == 0 && Long.compare(t, tokens[0]) > 0) {
            at = n; // the wrapping range: t is past the last token
        }
        long[] ts = new long[n + 1];
        int[] os = new int[n + 1];
        System.arraycopy(tokens, 0, ts, 0, at);
        System.arraycopy(owner, 0, os, 0, at);
        ts[at] = t;
        os[at] = newNode;
        System.arraycopy(tokens, at, ts, at + 1, n - at);
        System.arraycopy(owner, at, os, at + 1, n - at);
        tokens = ts;
        owner = os;
        taken.add(t);
        recompute();
    }

    private void recompute() {
        int n = tokens.length;
        replicas = new int[n][];
        walkLength = new int[n];
        own = new double[group.length];
        maxWalk = 0;
        for (int i = 0; i < n; i++) {
            int count = walk(i, false, -1);
            replicas[i] = Arrays.copyOf(walkBuffer, count);
            walkLength[i] = lastWalk;
            maxWalk = Math.max(maxWalk, lastWalk);
            double f = fraction(tokens[(i - 1 + n) % n], tokens[i]);
            for (int r : replicas[i]) {
                own[r] += f;
            }
        }
    }

    /** The width of (left, right] as a fraction of the ring; the whole ring if they are equal. */
    private static double fraction(long left, long right) {
        if (left == right) {
            return 1.0;
        }
        long width = right - left;
        return (width >= 0 ? (double) width : (double) width + RING_SIZE) / RING_SIZE;
    }
}
