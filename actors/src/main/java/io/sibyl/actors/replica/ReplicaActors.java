package io.sibyl.actors.replica;

import com.typesafe.config.Config;
import io.sibyl.actors.messaging.SchemaLookup;
import io.sibyl.actors.schema.SchemaStore;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The pool of {@link ReplicaActor}s every node runs, at well-known paths
 * {@code /system/sibyl-replica-0 .. N-1}, so a coordinator addresses a peer's replica actor from the
 * peer's address alone, with no discovery round. A request goes to the actor chosen by its partition
 * token ({@link #indexFor}), which spreads a node's traffic over N mailboxes and keeps requests for
 * one partition in order.
 *
 * <p>N is {@code sibyl.replica.actors}. It is a cluster-wide setting (like the system name): a
 * coordinator computes the path with its own N, so every node must use the same value.
 */
public final class ReplicaActors {

    /** Name prefix of the pool's actors under {@code /system}. */
    public static final String NAME_PREFIX = "sibyl-replica-";
    /** The dispatcher reads run on (they may block on disk); configured in reference.conf. */
    public static final String READ_DISPATCHER = "sibyl.replica.read_dispatcher";

    private final List<ActorRef<ReplicaActor.Command>> actors;

    private ReplicaActors(List<ActorRef<ReplicaActor.Command>> actors) {
        this.actors = List.copyOf(actors);
    }

    /** The pool size, {@code sibyl.replica.actors}. */
    public static int poolSize(Config config) {
        int n = config.getInt("sibyl.replica.actors");
        if (n < 1) {
            throw new IllegalArgumentException("sibyl.replica.actors must be at least 1, was " + n);
        }
        return n;
    }

    /**
     * Points the inter-node serializer at {@code schema} (requests name tables by id) and spawns the
     * pool with the settings of the system's config; call once per node, before it joins the cluster.
     */
    public static ReplicaActors spawn(ActorSystem<?> system, LocalReplica local, SchemaStore schema) {
        SchemaLookup.get(system).use(schema);
        return spawn(system, local);
    }

    /** Spawns the pool with the settings of the system's config (the SchemaLookup must be set). */
    public static ReplicaActors spawn(ActorSystem<?> system, LocalReplica local) {
        Config config = system.settings().config();
        return spawn(system, local, poolSize(config), config.getBytes("sibyl.replica.max_response_bytes"));
    }

    public static ReplicaActors spawn(ActorSystem<?> system, LocalReplica local, int count, long maxResponseBytes) {
        Executor reads = system.dispatchers().lookup(DispatcherSelector.fromConfig(READ_DISPATCHER));
        List<ActorRef<ReplicaActor.Command>> refs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            refs.add(system.systemActorOf(ReplicaActor.create(local, reads, maxResponseBytes), NAME_PREFIX + i,
                    io.sibyl.actors.mailbox.MeasuredMailbox.props("Replica")));
        }
        return new ReplicaActors(refs);
    }

    public List<ActorRef<ReplicaActor.Command>> actors() {
        return actors;
    }

    /** The pool member that serves {@code token}. */
    public static int indexFor(long token, int poolSize) {
        return (int) Math.floorMod(token, (long) poolSize);
    }

    /** The path of pool member {@code index} below the node's address. */
    public static String path(int index) {
        return "/system/" + NAME_PREFIX + index;
    }
}
