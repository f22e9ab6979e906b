package io.sibyl.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the membership does, and in whatever order changes arrive, the ring holds exactly the
 * tokens of the nodes whose declared status owns tokens, and a node is alive only if a live member
 * stands at its address.
 */
class RingViewBuilderPropertiesTest {

    record Step(List<NodeStatus> statuses, List<Membership.Phase> phases, List<Boolean> reachable) {
    }

    private static final int NODES = 5;

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<List<NodeStatus>> statuses = Arbitraries.of(NodeStatus.class).list().ofSize(NODES);
        Arbitrary<List<Membership.Phase>> phases = Arbitraries.of(Membership.Phase.class).injectNull(0.2)
                .list().ofSize(NODES);
        Arbitrary<List<Boolean>> reachable = Arbitraries.of(true, false).list().ofSize(NODES);
        return Combinators.combine(statuses, phases, reachable).as(Step::new).list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 300)
    void ringAndStatesFollowTheRules(@ForAll("histories") List<Step> history) {
        NodeInfo self = info(0);
        RingView view = RingView.initial(self);
        for (Step step : history) {
            Map<String, NodeRecord> records = new HashMap<>();
            List<Membership.Member> members = new ArrayList<>();
            Set<Long> expectedTokens = new HashSet<>();
            for (int i = 0; i < NODES; i++) {
                NodeRecord r = new NodeRecord(info(i), List.of(i * 1000L, i * 1000L + 1), step.statuses().get(i));
                records.put(r.key(), r);
                if (r.status().ownsTokens()) {
                    expectedTokens.addAll(r.tokens());
                }
                if (step.phases().get(i) != null) {
                    members.add(new Membership.Member(r.clusterAddress(), i, step.phases().get(i), step.reachable().get(i)));
                }
            }
            view = RingViewBuilder.next(view, self, records, new Membership(members), w -> {
                throw new AssertionError(w);
            });
            assertEquals(expectedTokens, new HashSet<>(view.ring().sortedTokens()));
            for (int i = 0; i < NODES; i++) {
                Membership.Phase phase = step.phases().get(i);
                // this node (n0) counts itself alive whatever its membership says
                boolean alive = i == 0 || phase != null && step.reachable().get(i)
                        && phase != Membership.Phase.DOWN && phase != Membership.Phase.REMOVED;
                assertEquals(alive, view.isAlive(NodeId.of("n" + i)), "node " + i + " in " + step);
            }
        }
    }

    private static NodeInfo info(int i) {
        return new NodeInfo(NodeId.of("n" + i), "127.0.0.1", 8080 + i, 7000 + i, "dc1", "rack1");
    }
}
