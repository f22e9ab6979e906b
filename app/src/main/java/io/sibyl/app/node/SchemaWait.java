package io.sibyl.app.node;

import io.sibyl.actors.cluster.NodeHealthBoard;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.schema.SchemaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Completes once every other live node reports this node's schema version: a node that is about to
 * fetch ranges plans them from its schema, and a joining node that has not received the cluster's
 * schema yet would fetch nothing. Fails after {@code timeout} naming the nodes that disagree.
 */
final class SchemaWait {

    private static final Duration POLL = Duration.ofMillis(200);

    private SchemaWait() {
    }

    static CompletionStage<Void> agreement(ActorSystem<?> system, RingViewHolder ring, SchemaStore schema,
                                           NodeHealthBoard health, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        poll(system, ring, schema, health, deadline, timeout, done);
        return done;
    }

    private static void poll(ActorSystem<?> system, RingViewHolder ring, SchemaStore schema, NodeHealthBoard health,
                             long deadline, Duration timeout, CompletableFuture<Void> done) {
        List<NodeId> lagging = lagging(ring.current(), schema.current().version().toString(), health);
        if (lagging.isEmpty()) {
            done.complete(null);
            return;
        }
        if (System.nanoTime() > deadline) {
            done.completeExceptionally(new IllegalStateException("this node does not have the cluster's schema after "
                    + timeout + " (nodes " + lagging + " report another schema version); nothing was fetched"));
            return;
        }
        system.scheduler().scheduleOnce(POLL, () -> poll(system, ring, schema, health, deadline, timeout, done),
                system.executionContext());
    }

    private static List<NodeId> lagging(RingView view, String mine, NodeHealthBoard health) {
        List<NodeId> out = new ArrayList<>();
        var reports = health.current();
        for (NodeInfo n : view.liveNodes()) {
            if (n.id().equals(view.selfId())) {
                continue;
            }
            var h = reports.get(n.id());
            if (h == null || h.schemaVersion() == null || !h.schemaVersion().equals(mine)) {
                out.add(n.id());
            }
        }
        return out;
    }

}
