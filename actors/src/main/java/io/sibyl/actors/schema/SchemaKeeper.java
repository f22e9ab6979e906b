package io.sibyl.actors.schema;

import io.sibyl.actors.cluster.NodeHealthKeeper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * One per node: the bridge between the replicated, durable schema map (Distributed Data
 * {@code LWWMap<String, SchemaEntry>} under {@code sibyl-durable-schema}) and this node's
 * {@link LocalSchemaStore} (its {@code schema.json} copy, which the storage engine reads at start).
 *
 * <p>Local changes are validated against the schema this node has, one at a time, turned into
 * entry writes ({@link SchemaEntries#diff}) and written to a majority. Changes from anywhere
 * (including this node) arrive as map updates, are merged (monotonic: an old notification never
 * undoes a newer state) and materialized; a different schema is stored locally and its version
 * published through the {@link NodeHealthKeeper}. See docs/adr/005-schema-distribution.md.
 */
final class SchemaKeeper {

    static final Key<LWWMap<String, SchemaEntry>> SCHEMA_KEY = LWWMapKey.create("sibyl-durable-schema");

    sealed interface Command {
    }

    /** Apply {@code change} to the current schema; completes with the schema after it. */
    record Change(UnaryOperator<Schema> change, CompletableFuture<Schema> result) implements Command {
    }

    private record Loaded(Replicator.GetResponse<LWWMap<String, SchemaEntry>> response) implements Command {
    }

    private record Seeded(Replicator.UpdateResponse<LWWMap<String, SchemaEntry>> response) implements Command {
    }

    private record MapChanged(Replicator.SubscribeResponse<LWWMap<String, SchemaEntry>> response) implements Command {
    }

    private record Written(Replicator.UpdateResponse<LWWMap<String, SchemaEntry>> response) implements Command {
    }

    private record ReadBack(Replicator.GetResponse<LWWMap<String, SchemaEntry>> response) implements Command {
    }

    static Behavior<Command> create(LocalSchemaStore local, ActorRef<NodeHealthKeeper.Command> health,
                                    Duration writeTimeout) {
        return Behaviors.setup(ctx -> Behaviors.withStash(10_000, stash ->
                DistributedData.<Command, LWWMap<String, SchemaEntry>>withReplicatorMessageAdapter(replicator ->
                        new SchemaKeeper(ctx, stash, replicator, local, health, writeTimeout).loading())));
    }

    private final ActorContext<Command> ctx;
    private final StashBuffer<Command> stash;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, SchemaEntry>> replicator;
    private final LocalSchemaStore local;
    private final ActorRef<NodeHealthKeeper.Command> health;
    private final Duration writeTimeout;
    private final SelfUniqueAddress selfUnique;

    private LWWMap<String, SchemaEntry> map = LWWMap.create();
    private Schema materialized;

    private SchemaKeeper(ActorContext<Command> ctx, StashBuffer<Command> stash,
                         ReplicatorMessageAdapter<Command, LWWMap<String, SchemaEntry>> replicator,
                         LocalSchemaStore local, ActorRef<NodeHealthKeeper.Command> health, Duration writeTimeout) {
        this.ctx = ctx;
        this.stash = stash;
        this.replicator = replicator;
        this.local = local;
        this.health = health;
        this.writeTimeout = writeTimeout;
        this.selfUnique = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
        this.materialized = local.current();
    }

    // The replicator answers a local read only after it loaded the durable store.
    private Behavior<Command> loading() {
        replicator.askGet(replyTo -> new Replicator.Get<>(SCHEMA_KEY, Replicator.readLocal(), replyTo), Loaded::new);
        return Behaviors.receive(Command.class)
                .onMessage(Loaded.class, this::onLoaded)
                .onMessage(Seeded.class, m -> {
                    replicator.askGet(replyTo -> new Replicator.Get<>(SCHEMA_KEY, Replicator.readLocal(), replyTo),
                            Loaded::new);
                    return Behaviors.same();
                })
                .onMessage(MapChanged.class, this::onMapChanged)
                .onMessage(Command.class, m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onLoaded(Loaded msg) {
        if (msg.response() instanceof Replicator.GetSuccess<LWWMap<String, SchemaEntry>> ok) {
            merge(ok.get(SCHEMA_KEY));
        } else if (msg.response() instanceof Replicator.NotFound && !local.current().keyspaces().isEmpty()) {
            // A data directory from before this node kept the map (or whose map was cleared): offer
            // its schema.json to the cluster with the oldest possible timestamps, so anything the
            // cluster decided since (including drops) wins over it.
            Map<String, SchemaEntry> seed = SchemaEntries.of(local.current());
            LWWRegister.Clock<SchemaEntry> oldest = (current, value) -> current + 1;
            ctx.getLog().info("seeding the cluster schema with this node's {} keyspaces", local.current().keyspaces().size());
            replicator.askUpdate(replyTo -> new Replicator.Update<>(SCHEMA_KEY, LWWMap.create(), Replicator.writeLocal(),
                    replyTo, m -> {
                        LWWMap<String, SchemaEntry> out = m;
                        for (Map.Entry<String, SchemaEntry> e : seed.entrySet()) {
                            if (!out.contains(e.getKey())) {
                                out = out.put(selfUnique, e.getKey(), e.getValue(), oldest);
                            }
                        }
                        return out;
                    }), Seeded::new);
            return Behaviors.same();
        }
        health.tell(new NodeHealthKeeper.SchemaVersionChanged(materialized.version().toString()));
        replicator.subscribe(SCHEMA_KEY, MapChanged::new);
        return stash.unstashAll(ready());
    }

    private Behavior<Command> ready() {
        return Behaviors.receive(Command.class)
                .onMessage(Change.class, this::onChange)
                .onMessage(MapChanged.class, this::onMapChanged)
                .build();
    }

    private Behavior<Command> onChange(Change msg) {
        Schema next;
        try {
            next = msg.change().apply(materialized);
        } catch (RuntimeException e) {
            msg.result().completeExceptionally(e);
            return Behaviors.same();
        }
        if (next.equals(materialized)) {
            msg.result().complete(materialized);
            return Behaviors.same();
        }
        Map<String, SchemaEntry> puts = SchemaEntries.diff(map.getEntries(), materialized, next);
        replicator.askUpdate(replyTo -> new Replicator.Update<>(SCHEMA_KEY, LWWMap.create(),
                new Replicator.WriteMajority(writeTimeout), replyTo, m -> {
                    LWWMap<String, SchemaEntry> out = m;
                    for (Map.Entry<String, SchemaEntry> e : puts.entrySet()) {
                        out = out.put(selfUnique, e.getKey(), e.getValue());
                    }
                    return out;
                }), Written::new);
        return writing(msg.result());
    }

    // One change at a time: the next one must be validated against the result of this one.
    private Behavior<Command> writing(CompletableFuture<Schema> result) {
        return Behaviors.receive(Command.class)
                .onMessage(Written.class, m -> {
                    var rsp = m.response();
                    if (rsp instanceof Replicator.UpdateSuccess || rsp instanceof Replicator.UpdateTimeout) {
                        // Written here (and durably) in both cases; a timeout only means no majority answered yet.
                        if (rsp instanceof Replicator.UpdateTimeout) {
                            ctx.getLog().warn("schema change written locally; no majority answered within {}", writeTimeout);
                        }
                        replicator.askGet(replyTo -> new Replicator.Get<>(SCHEMA_KEY, Replicator.readLocal(), replyTo),
                                ReadBack::new);
                        return Behaviors.same();
                    }
                    result.completeExceptionally(new IllegalStateException("the schema change could not be stored: " + rsp));
                    return stash.unstashAll(ready());
                })
                .onMessage(ReadBack.class, m -> {
                    if (m.response() instanceof Replicator.GetSuccess<LWWMap<String, SchemaEntry>> ok) {
                        merge(ok.get(SCHEMA_KEY));
                    }
                    result.complete(materialized);
                    return stash.unstashAll(ready());
                })
                .onMessage(MapChanged.class, this::onMapChanged)
                .onMessage(Command.class, m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onMapChanged(MapChanged msg) {
        if (msg.response() instanceof Replicator.Changed<LWWMap<String, SchemaEntry>> changed) {
            merge(changed.get(SCHEMA_KEY));
        }
        return Behaviors.same();
    }

    private void merge(LWWMap<String, SchemaEntry> incoming) {
        map = map.merge(incoming);
        Schema next = SchemaEntries.materialize(map.getEntries());
        if (next.equals(materialized) && next.equals(local.current())) {
            return;
        }
        materialized = next;
        if (!next.equals(local.current())) {
            try {
                local.update(s -> next).toCompletableFuture().join();
            } catch (RuntimeException e) {
                ctx.getLog().error("cannot store the schema locally", e);
            }
            ctx.getLog().info("schema is now version {} ({} keyspaces)", next.version(), next.keyspaces().size());
        }
        health.tell(new NodeHealthKeeper.SchemaVersionChanged(next.version().toString()));
    }
}
