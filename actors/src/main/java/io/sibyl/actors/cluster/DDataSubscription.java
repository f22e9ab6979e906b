package io.sibyl.actors.cluster;

import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ReplicatedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;

/**
 * Subscribes an actor to one more Distributed Data key through a child actor. An actor's message
 * adapters are keyed by message class, so a second {@code ReplicatorMessageAdapter.subscribe} in the
 * same actor replaces the first one's adapter ("wrong key used"); a child per key avoids that.
 */
final class DDataSubscription {

    private DDataSubscription() {
    }

    static <C, A extends ReplicatedData> void subscribe(ActorContext<C> ctx, Key<A> key, String name,
                                                        Function<Replicator.SubscribeResponse<A>, C> wrap) {
        ActorRef<C> parent = ctx.getSelf();
        Behavior<Replicator.SubscribeResponse<A>> forwarder = Behaviors.setup(child -> {
            DistributedData.get(child.getSystem()).replicator().tell(new Replicator.Subscribe<>(key, child.getSelf()));
            return Behaviors.receiveMessage(rsp -> {
                parent.tell(wrap.apply(rsp));
                return Behaviors.same();
            });
        });
        ctx.spawn(forwarder, name);
    }
}
