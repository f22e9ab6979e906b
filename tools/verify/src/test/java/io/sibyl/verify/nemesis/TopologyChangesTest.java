package io.sibyl.verify.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyChangesTest {

    @Test
    void neverShrinksBelowTheReplicationFactorNorGrowsPastTheMaximum() {
        Random rnd = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertEquals("bootstrap", TopologyChanges.choose(3, 3, 5, rnd));
            assertEquals("decommission", TopologyChanges.choose(5, 3, 5, rnd));
        }
        Set<String> between = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            between.add(TopologyChanges.choose(4, 3, 5, rnd));
        }
        assertEquals(Set.of("bootstrap", "decommission"), between);
    }

    @Test
    void aRandomWalkOfChangesStaysWithinBounds() {
        Random rnd = new Random(7);
        int size = 4;
        for (int i = 0; i < 1000; i++) {
            size += TopologyChanges.choose(size, 3, 5, rnd).equals("bootstrap") ? 1 : -1;
            assertTrue(size >= 3 && size <= 5, "size " + size);
        }
    }
}
