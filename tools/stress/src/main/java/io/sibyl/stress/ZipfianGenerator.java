package io.sibyl.stress;

import java.util.SplittableRandom;

/**
 * YCSB's Zipfian generator (Gray et al., "Quickly Generating Billion-Record Synthetic Databases"):
 * item 0 is the most popular, item {@code i} drawn with probability {@code (i+1)^-theta / zeta(n, theta)}.
 * Immutable after construction, so lanes share one instance and pass their own random source.
 */
public final class ZipfianGenerator {

    /** YCSB's default skew. */
    public static final double ZIPFIAN_CONSTANT = 0.99;

    /** Above this many items zeta is summed exactly up to here and the tail is estimated (Euler–Maclaurin). */
    private static final long EXACT_ZETA_LIMIT = 1_000_000;

    private final long items;
    private final double theta;
    private final double zetan;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;

    public ZipfianGenerator(long items) {
        this(items, ZIPFIAN_CONSTANT);
    }

    public ZipfianGenerator(long items, double theta) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be >= 1");
        }
        if (theta <= 0 || theta >= 1) {
            throw new IllegalArgumentException("theta must be in (0, 1)");
        }
        this.items = items;
        this.theta = theta;
        this.zetan = zeta(items, theta);
        double zeta2theta = zeta(2, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
        this.halfPowTheta = 1.0 + Math.pow(0.5, theta);
    }

    /** The next item in [0, items). */
    public long next(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < halfPowTheta) {
            return Math.min(1, items - 1);
        }
        long ret = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(Math.max(ret, 0), items - 1);
    }

    public long items() {
        return items;
    }

    /** The theoretical probability of the item of the given rank (0 = most popular). */
    public double probability(long rank) {
        return Math.pow(rank + 1, -theta) / zetan;
    }

    /** Generalised harmonic number: sum over i in [1, n] of i^-theta. */
    static double zeta(long n, double theta) {
        long exact = Math.min(n, EXACT_ZETA_LIMIT);
        double sum = 0;
        for (long i = 1; i <= exact; i++) {
            sum += Math.pow(i, -theta);
        }
        if (n > exact) {
            // Tail sum over (m, n] of f(i) with f(x) = x^-theta: integral + endpoint corrections.
            double m = exact;
            double integral = (Math.pow(n, 1 - theta) - Math.pow(m, 1 - theta)) / (1 - theta);
            double fn = Math.pow(n, -theta);
            double fm = Math.pow(m, -theta);
            double dfn = -theta * Math.pow(n, -theta - 1);
            double dfm = -theta * Math.pow(m, -theta - 1);
            sum += integral + (fn - fm) / 2 + (dfn - dfm) / 12;
        }
        return sum;
    }
}
