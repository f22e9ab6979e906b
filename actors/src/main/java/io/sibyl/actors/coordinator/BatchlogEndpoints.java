package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which nodes hold a logged batch's batchlog entry (Cassandra's {@code ReplicaPlans.forBatchlogWrite}
 * and {@code filterBatchlogEndpoints}): up to two live nodes of the local data center other than the
 * coordinator, on other racks than the coordinator's when there are enough, on two different racks
 * when possible, picked at random so that the batchlog load spreads. A data center of one node uses
 * the coordinator itself; so does a write at ANY that finds no other live node.
 */
final class BatchlogEndpoints {

    private BatchlogEndpoints() {
    }

    /** The chosen nodes; empty when none qualifies (the caller answers UNAVAILABLE). */
    static List<NodeInfo> choose(RingView view, boolean isAny) {
        return choose(view, isAny, ThreadLocalRandom.current());
    }

    static List<NodeInfo> choose(RingView view, boolean isAny, Random random) {
        NodeInfo self = view.self();
        Map<String, List<NodeInfo>> byRack = new LinkedHashMap<>();
        int inDc = 0;
        boolean selfListed = false;
        for (NodeRecord r : view.records().values()) {
            NodeInfo n = r.info();
            if (!r.status().ownsTokens() || !n.dc().equals(self.dc())) {
                continue;
            }
            inDc++;
            if (n.id().equals(self.id())) {
                selfListed = true;
                continue;
            }
            if (view.isAlive(n.id())) {
                byRack.computeIfAbsent(n.rack(), k -> new ArrayList<>()).add(n);
            }
        }
        if (!selfListed) {
            inDc++; // a coordinator whose record is not (yet) in the view is still in its data center
        }
        if (inDc == 1) {
            return List.of(self);
        }
        List<NodeInfo> chosen = pick(self.rack(), byRack, random);
        if (chosen.isEmpty() && isAny) {
            return List.of(self);
        }
        return chosen;
    }

    /** Cassandra's filterBatchlogEndpoints on the live nodes other than the coordinator, by rack. */
    private static List<NodeInfo> pick(String localRack, Map<String, List<NodeInfo>> byRack, Random random) {
        int total = byRack.values().stream().mapToInt(List::size).sum();
        if (total <= 2) {
            List<NodeInfo> all = new ArrayList<>(total);
            byRack.values().forEach(all::addAll);
            return all;
        }
        Map<String, List<NodeInfo>> racks = new LinkedHashMap<>(byRack);
        int local = racks.getOrDefault(localRack, List.of()).size();
        if (total - local >= 2) {
            racks.remove(localRack); // enough nodes on other racks
        }
        if (racks.size() == 1) {
            // One rack to choose from (the local one, or a single other): two random nodes of it.
            List<NodeInfo> only = new ArrayList<>(racks.values().iterator().next());
            Collections.shuffle(only, random);
            return List.copyOf(only.subList(0, 2));
        }
        List<String> names = new ArrayList<>(racks.keySet());
        if (names.size() > 2) {
            Collections.shuffle(names, random);
        }
        List<NodeInfo> out = new ArrayList<>(2);
        for (String rack : names.subList(0, 2)) {
            List<NodeInfo> members = racks.get(rack);
            out.add(members.get(random.nextInt(members.size())));
        }
        return out;
    }
}
