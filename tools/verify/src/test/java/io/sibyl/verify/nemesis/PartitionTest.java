package io.sibyl.verify.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionTest {
    private static final List<String> FIVE = List.of("n1", "n2", "n3", "n4", "n5");

    @Test
    void everyShapeIsSymmetricAndTheSeedFixesIt() {
        Set<String> shapes = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            Partition p = Partition.random(FIVE, new Random(seed));
            shapes.add(p.shape());
            p.cuts().forEach((n, peers) -> peers.forEach(q -> assertTrue(p.cuts().get(q).contains(n), p.description())));
            assertEquals(p, Partition.random(FIVE, new Random(seed)));
            switch (p.shape()) {
                case "isolate" -> assertEquals(1, p.cuts().values().stream().filter(c -> c.size() == 4).count(), p.description());
                case "halves" -> {
                    long minority = p.cuts().values().stream().filter(c -> c.size() == 3).count();
                    assertEquals(2, minority, p.description());   // 2 nodes see 3 cut, 3 nodes see 2 cut
                }
                case "bridge" -> {
                    assertEquals(1, p.cuts().values().stream().filter(Set::isEmpty).count(), p.description());
                    assertTrue(p.cuts().values().stream().noneMatch(c -> c.size() > 2), p.description());
                }
                default -> throw new AssertionError(p.shape());
            }
        }
        assertEquals(Set.of("isolate", "halves", "bridge"), shapes);
    }

    @Test
    void twoNodesCanOnlyBeIsolated() {
        Partition p = Partition.random(List.of("a", "b"), new Random(3));
        assertEquals("isolate", p.shape());
        assertEquals(Set.of("b"), p.cuts().get("a").isEmpty() ? Set.of("b") : p.cuts().get("a"));
    }
}
