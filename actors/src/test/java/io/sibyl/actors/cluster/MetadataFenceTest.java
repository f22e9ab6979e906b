package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataFenceTest {

    @Test
    void aNewFenceIsAboveEveryKnownOneAndAtLeastTheWallClock() {
        assertEquals(1000, MetadataFence.next(Map.of(), "a", 1000).value());
        assertEquals(5001, MetadataFence.next(Map.of("x", 5000L, "y", 12L), "a", 1000).value());
    }

    @Test
    void exactlyOneOfTwoIncarnationsIsCurrentEvenWithEqualFences() {
        MetadataFence a = new MetadataFence(7, "a");
        MetadataFence b = new MetadataFence(7, "b");
        Map<String, Long> both = Map.of("a", 7L, "b", 7L);
        assertNotNull(a.supersededBy(both));
        assertNull(b.supersededBy(both));
        assertNull(new MetadataFence(8, "a").supersededBy(Map.of("a", 8L, "b", 7L)));
        assertNotNull(new MetadataFence(8, "a").supersededBy(Map.of("a", 8L, "b", 9L)));
    }

    @Test
    void aFollowerThatAppliedAnEntryLaterReplacedReappliesTheLogFromTheStart() {
        NodeRecord x = MetadataFixtures.record("x", List.of(1L), NodeStatus.NORMAL);
        NodeRecord y = MetadataFixtures.record("y", List.of(2L), NodeStatus.NORMAL);
        NodeRecord z = MetadataFixtures.record("z", List.of(3L), NodeStatus.NORMAL);
        MetadataEntry one = new MetadataEntry.Register(1, x);
        MetadataEntry staleTwo = new MetadataEntry.Register(2, y);
        MetadataEntry two = new MetadataEntry.Register(2, z);
        Map<String, MetadataEntry> first = Map.of(MetadataLog.key(1), one, MetadataLog.key(2), staleTwo);
        ClusterMetadata applied = MetadataLog.replay(ClusterMetadata.EMPTY, first, e -> { });
        assertEquals(2, applied.epoch());
        List<Long> rewound = new ArrayList<>();
        Map<String, MetadataEntry> now = Map.of(MetadataLog.key(1), one, MetadataLog.key(2), two);
        ClusterMetadata next = MetadataLog.follow(applied, MetadataLog.upTo(first, 2), now, e -> { }, rewound::add);
        assertEquals(List.of(2L), rewound);
        assertEquals(2, next.epoch());
        assertTrue(next.nodes().containsKey(z.id()) && !next.nodes().containsKey(y.id()), "the stale entry is undone");
        // nothing replaced: the follower moves on from where it was
        ClusterMetadata same = MetadataLog.follow(next, MetadataLog.upTo(now, 2), now, e -> { }, rewound::add);
        assertEquals(next, same);
        assertEquals(1, rewound.size());
    }
}
