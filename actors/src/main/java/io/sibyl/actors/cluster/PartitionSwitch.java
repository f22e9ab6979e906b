package io.sibyl.actors.cluster;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.remote.RemoteActorRefProvider;
import org.apache.pekko.remote.transport.ThrottlerTransportAdapter;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;

/**
 * TEST ONLY: cuts this node's inter-node traffic to and from chosen peers, both ways, as a network
 * partition would, while HTTP clients still reach every node. It uses Artery's test mode (the
 * blackhole that Pekko's own multi-node tests use), so it needs {@code sibyl.cluster.fault_injection
 * = on}; without it the node runs the normal transport and this switch refuses.
 *
 * <p>Which peers are cut off is kept per JVM, not per actor system: a node that the cluster downs
 * during the partition restarts its actor system (rejoin_after_down), and the new one must stay cut
 * off until the test heals the partition.
 */
public final class PartitionSwitch {

    private static final Set<ClusterSettings.HostPort> isolatedFrom = new TreeSet<>(
            (a, b) -> a.toString().compareTo(b.toString()));

    private PartitionSwitch() {
    }

    /** Cuts traffic between this node and each peer (cluster host:port), in both directions. */
    public static synchronized void isolate(ActorSystem<?> system, Set<ClusterSettings.HostPort> peers) {
        requireTestMode(system);
        isolatedFrom.addAll(peers);
        apply(system);
    }

    /** Restores traffic with every peer that was cut off. */
    public static synchronized void heal(ActorSystem<?> system) {
        requireTestMode(system);
        for (ClusterSettings.HostPort p : isolatedFrom) {
            command(system, p, ThrottlerTransportAdapter.unthrottledThrottleMode());
        }
        isolatedFrom.clear();
    }

    /** The peers cut off now. */
    public static synchronized Set<ClusterSettings.HostPort> isolated() {
        return Set.copyOf(isolatedFrom);
    }

    /** Re-applies the partition to a freshly started actor system (a no-op when nothing is cut off). */
    public static synchronized void apply(ActorSystem<?> system) {
        if (isolatedFrom.isEmpty()) {
            return;
        }
        requireTestMode(system);
        for (ClusterSettings.HostPort p : isolatedFrom) {
            command(system, p, ThrottlerTransportAdapter.blackholeThrottleMode());
        }
    }

    public static boolean enabled(ActorSystem<?> system) {
        return system.settings().config().getBoolean("pekko.remote.artery.advanced.test-mode");
    }

    private static void requireTestMode(ActorSystem<?> system) {
        if (!enabled(system)) {
            throw new IllegalStateException("fault injection is off (sibyl.cluster.fault_injection)");
        }
    }

    private static void command(ActorSystem<?> system, ClusterSettings.HostPort peer,
                                ThrottlerTransportAdapter.ThrottleMode mode) {
        ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
        RemoteActorRefProvider provider = (RemoteActorRefProvider) classic.provider();
        Address address = new Address("pekko", ClusterSettings.SYSTEM_NAME, peer.host(), peer.port());
        try {
            Await.result(provider.transport().managementCommand(new ThrottlerTransportAdapter.SetThrottle(
                    address, ThrottlerTransportAdapter.bothDirection(), mode)), Duration.create(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException("could not change the transport's test state for " + peer, e);
        }
    }
}
