package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownPeersTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTheOtherNodesAndSurvivesAMissingOrCorruptFile() throws Exception {
        assertTrue(KnownPeers.read(dir).isEmpty());
        KnownPeers.write(dir, Set.of("10.0.0.2:7000", "[::1]:7001"));
        assertEquals(Set.of(ClusterSettings.HostPort.parse("10.0.0.2:7000"), ClusterSettings.HostPort.parse("[::1]:7001")),
                Set.copyOf(KnownPeers.read(dir)));
        Files.writeString(KnownPeers.file(dir), "not an address\n");
        assertTrue(KnownPeers.read(dir).isEmpty(), "a corrupt file is only a hint: configured seeds still apply");
    }

    @Test
    void tracksTheRingWithoutSelfOrLeftNodesAndNeverErasesWithAnEmptyView() {
        NodeInfo self = new NodeInfo(NodeId.of("a"), "10.0.0.1", 8080, 7000, "dc1", "r1");
        NodeInfo b = new NodeInfo(NodeId.of("b"), "10.0.0.2", 8080, 7000, "dc1", "r1");
        NodeInfo c = new NodeInfo(NodeId.of("c"), "10.0.0.3", 8080, 7000, "dc1", "r1");
        KnownPeers.write(dir, Set.of("10.0.0.9:7000"));
        RingViewHolder holder = new RingViewHolder(RingView.initial(self));
        KnownPeers.track(holder, dir);
        assertEquals(List.of(ClusterSettings.HostPort.parse("10.0.0.9:7000")), KnownPeers.read(dir),
                "a fresh layer that knows only itself keeps what the last one saw");
        RingView v = RingView.initial(self);
        java.util.Map<NodeId, NodeRecord> records = java.util.Map.of(
                self.id(), new NodeRecord(self, List.of(1L), NodeStatus.NORMAL),
                b.id(), new NodeRecord(b, List.of(2L), NodeStatus.NORMAL),
                c.id(), new NodeRecord(c, List.of(3L), NodeStatus.LEFT));
        assertEquals(Set.of("10.0.0.2:7000"), KnownPeers.of(withRecords(v, records)));
        holder.publish(withRecords(v, records));
        assertEquals(List.of(ClusterSettings.HostPort.parse("10.0.0.2:7000")), KnownPeers.read(dir));
    }

    private static RingView withRecords(RingView v, java.util.Map<NodeId, NodeRecord> records) {
        return new RingView(v.version() + 1, v.self(), v.ring(), records, v.states());
    }
}
