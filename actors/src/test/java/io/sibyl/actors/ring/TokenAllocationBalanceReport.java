package io.sibyl.actors.ring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The table of docs/ring.md: replicated ownership (SimpleStrategy RF 3, 16 tokens per node, one DC and rack)
 * of rings grown node by node with random tokens and with {@link TokenAllocator#forJoiningNode}, as the
 * median over 50 rings of max/mean ownership. Tagged soak (about two minutes):
 * {@code mvn -B -pl actors -am test -Dsoak=true -Dtest=TokenAllocationBalanceReport -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("soak")
class TokenAllocationBalanceReport {

    static final int[] SIZES = {3, 4, 5, 8, 16, 32, 64};
    static final int RINGS = 50;
    static final int TOKENS = 16;
    static final int RF = 3;

    @Test
    void printTable() {
        SimpleStrategy rf3 = new SimpleStrategy(RF);
        System.out.println("| nodes | random: median max/mean | random: worst | allocated: median max/mean | allocated: worst |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int nodes : SIZES) {
            double[] random = new double[RINGS];
            double[] allocated = new double[RINGS];
            for (int r = 0; r < RINGS; r++) {
                long seed = 1000L * nodes + r;
                random[r] = JoiningNodeTokenAllocationTest.maxOverMean(JoiningNodeTokenAllocationTest
                        .grow(TokenRing.empty(), nodes, "dc1", 1, TOKENS, RF, false, seed).ownership(rf3));
                allocated[r] = JoiningNodeTokenAllocationTest.maxOverMean(JoiningNodeTokenAllocationTest
                        .grow(TokenRing.empty(), nodes, "dc1", 1, TOKENS, RF, true, seed).ownership(rf3));
            }
            System.out.printf("| %d | %.3f | %.3f | %.3f | %.3f |%n", nodes, median(random), max(random),
                    median(allocated), max(allocated));
            if (nodes > RF) {
                assertTrue(median(allocated) <= 1.1, nodes + " nodes: allocated median " + median(allocated));
            }
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
