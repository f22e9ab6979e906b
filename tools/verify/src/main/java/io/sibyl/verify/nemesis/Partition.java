package io.sibyl.verify.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A network partition's shape, as Jepsen's nemeses draw them: {@code isolate} one node from all others,
 * {@code halves} (a random minority against the majority) or {@code bridge} (two halves that cannot talk,
 * and one node that talks to both). {@link #cuts} says, for each node, the peers whose traffic it drops;
 * cuts are always symmetric.
 */
public record Partition(String shape, Map<String, Set<String>> cuts, String description) {

    public static Partition random(List<String> nodes, Random rnd) {
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, rnd);
        int pick = nodes.size() < 3 ? 0 : rnd.nextInt(3);
        return switch (pick) {
            case 0 -> between("isolate", List.of(shuffled.get(0)), shuffled.subList(1, shuffled.size()), nodes, null);
            case 1 -> {
                int minority = shuffled.size() / 2;
                yield between("halves", shuffled.subList(0, minority), shuffled.subList(minority, shuffled.size()), nodes, null);
            }
            default -> {
                String bridge = shuffled.get(0);
                List<String> rest = shuffled.subList(1, shuffled.size());
                int half = rest.size() / 2;
                yield between("bridge", rest.subList(0, half), rest.subList(half, rest.size()), nodes, bridge);
            }
        };
    }

    private static Partition between(String shape, List<String> a, List<String> b, List<String> all, String bridge) {
        Map<String, Set<String>> cuts = new LinkedHashMap<>();
        for (String n : all) {
            cuts.put(n, new LinkedHashSet<>());
        }
        for (String x : a) {
            for (String y : b) {
                cuts.get(x).add(y);
                cuts.get(y).add(x);
            }
        }
        String d = shape + " " + a + " | " + b + (bridge == null ? "" : " via " + bridge);
        return new Partition(shape, cuts, d);
    }
}
