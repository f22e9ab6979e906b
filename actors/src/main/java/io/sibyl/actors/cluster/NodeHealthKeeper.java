package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * One per node. Publishes this node's {@link NodeHealth} (schema version, load) in a replicated
 * map keyed by node id, measures the load periodically, and keeps the {@link NodeHealthBoard}
 * current with everyone's entries.
 *
 * <p>A schema version change is written to every node directly ({@code WriteAll} with a short
 * timeout) because a DDL answer waits for the others' versions; a load change only locally
 * (gossip carries it). Not durable: a restarted node publishes again.
 */
public final class NodeHealthKeeper {

    public static final Key<LWWMap<String, NodeHealth>> HEALTH_KEY = LWWMapKey.create("sibyl-node-health");

    private static final Duration SCHEMA_WRITE_TIMEOUT = Duration.ofSeconds(2);

    public sealed interface Command {
    }

    /** This node applied a new schema. */
    public record SchemaVersionChanged(String version) implements Command {
    }

    private enum MeasureLoad implements Command { INSTANCE }

    private record LoadMeasured(long bytes) implements Command {
    }

    private record BoardChanged(Replicator.SubscribeResponse<LWWMap<String, NodeHealth>> response) implements Command {
    }

    private record Written(Replicator.UpdateResponse<LWWMap<String, NodeHealth>> response) implements Command {
    }

    /**
     * @param self         this node's id
     * @param load         measures this node's data size in bytes (may block; runs on the blocking dispatcher)
     * @param loadInterval how often to measure
     * @param board        where everyone's entries are published
     */
    public static Behavior<Command> create(NodeId self, LongSupplier load, Duration loadInterval, NodeHealthBoard board) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                DistributedData.<Command, LWWMap<String, NodeHealth>>withReplicatorMessageAdapter(replicator -> {
                    NodeHealthKeeper keeper = new NodeHealthKeeper(ctx, replicator, self, load, board);
                    replicator.subscribe(HEALTH_KEY, BoardChanged::new);
                    timers.startTimerWithFixedDelay(MeasureLoad.INSTANCE, Duration.ZERO, loadInterval);
                    return keeper.behavior();
                })));
    }

    private final ActorContext<Command> ctx;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, NodeHealth>> replicator;
    private final NodeId self;
    private final LongSupplier load;
    private final NodeHealthBoard board;
    private final SelfUniqueAddress selfUnique;
    private NodeHealth mine = NodeHealth.UNKNOWN;
    private boolean measuring;

    private NodeHealthKeeper(ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, LWWMap<String, NodeHealth>> replicator,
                             NodeId self, LongSupplier load, NodeHealthBoard board) {
        this.ctx = ctx;
        this.replicator = replicator;
        this.self = self;
        this.load = load;
        this.board = board;
        this.selfUnique = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessage(SchemaVersionChanged.class, m -> {
                    if (!m.version().equals(mine.schemaVersion())) {
                        mine = mine.withSchemaVersion(m.version());
                        write(new Replicator.WriteAll(SCHEMA_WRITE_TIMEOUT));
                    }
                    return Behaviors.same();
                })
                .onMessageEquals(MeasureLoad.INSTANCE, () -> {
                    if (!measuring) {
                        measuring = true;
                        ctx.pipeToSelf(CompletableFuture.supplyAsync(load::getAsLong,
                                        ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking())),
                                (bytes, err) -> new LoadMeasured(err == null ? bytes : -1));
                    }
                    return Behaviors.same();
                })
                .onMessage(LoadMeasured.class, m -> {
                    measuring = false;
                    if (m.bytes() >= 0 && m.bytes() != mine.load()) {
                        mine = mine.withLoad(m.bytes());
                        write(Replicator.writeLocal());
                    }
                    return Behaviors.same();
                })
                .onMessage(BoardChanged.class, m -> {
                    if (m.response() instanceof Replicator.Changed<LWWMap<String, NodeHealth>> changed) {
                        Map<NodeId, NodeHealth> out = new HashMap<>();
                        changed.get(HEALTH_KEY).getEntries().forEach((id, h) -> out.put(NodeId.of(id), h));
                        // Our own entry is always our latest, whatever gossip has caught up with.
                        out.put(self, mine);
                        board.publish(out);
                    }
                    return Behaviors.same();
                })
                .onMessage(Written.class, m -> Behaviors.same())   // a timeout still wrote locally; gossip spreads it
                .build();
    }

    private void write(Replicator.WriteConsistency consistency) {
        NodeHealth value = mine;
        Map<NodeId, NodeHealth> local = new HashMap<>(board.current());
        local.put(self, value);
        board.publish(local);
        replicator.askUpdate(replyTo -> new Replicator.Update<>(HEALTH_KEY, LWWMap.create(), consistency, replyTo,
                map -> map.put(selfUnique, self.value(), value)), Written::new);
    }
}
