package io.sibyl.actors.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Pekko cluster membership as the ring needs it, free of Pekko types so that the state rules
 * in {@link RingViewBuilder} can be tested by hand. Nodes are matched to members by
 * {@code host:port} of their inter-node address.
 */
public record Membership(List<Member> members) {

    /** Pekko's member status, one to one. */
    public enum Phase { JOINING, WEAKLY_UP, UP, LEAVING, EXITING, DOWN, REMOVED }

    /**
     * One incarnation of a cluster member.
     *
     * @param hostPort  {@code host:port} of its inter-node address
     * @param uid       the incarnation (a restarted node at the same address has a new one)
     * @param phase     its membership status
     * @param reachable false while the failure detector of any member flags it
     */
    public record Member(String hostPort, long uid, Phase phase, boolean reachable) {
        public Member {
            Objects.requireNonNull(hostPort, "hostPort");
            Objects.requireNonNull(phase, "phase");
        }

        /** A member that counts as alive: reachable and not on its way out of the cluster. */
        public boolean isAlive() {
            return reachable && phase != Phase.DOWN && phase != Phase.REMOVED;
        }
    }

    public static final Membership EMPTY = new Membership(List.of());

    public Membership {
        members = List.copyOf(members);
    }

    /**
     * The member that speaks for {@code hostPort}. While a restarted node's new incarnation joins,
     * its old one may still be listed (unreachable or down); the live one wins.
     */
    public Member memberAt(String hostPort) {
        return byHostPort().get(hostPort);
    }

    Map<String, Member> byHostPort() {
        Map<String, Member> out = new HashMap<>();
        for (Member m : members) {
            out.merge(m.hostPort(), m, (a, b) -> better(a, b));
        }
        return out;
    }

    private static Member better(Member a, Member b) {
        if (a.isAlive() != b.isAlive()) {
            return a.isAlive() ? a : b;
        }
        return a.phase().ordinal() <= b.phase().ordinal() ? a : b;
    }
}
