package io.sibyl.actors.messaging;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActors;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.storage.data.Mutation;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends replica requests to other nodes and hands back their replies. Each request is an ask
 * (a temporary reply actor per request, no shared mailbox), to the peer's replica actor chosen by
 * token at its well-known path; at most {@code max_in_flight_per_peer} requests per peer are
 * outstanding, beyond that requests fail at once with
 * {@link io.sibyl.actors.consistency.OverloadedException}.
 *
 * <p>Replies: the replica's {@link ReplicaActor.Reply} (a {@link ReplicaActor.ReplicaFailure} when
 * it could not do the work), or a stage failed with {@link java.util.concurrent.TimeoutException}
 * when nothing came back in time.
 */
public final class ReplicaClient {

    private final ActorSystem<?> system;
    private final RingViewHolder ring;
    private final int poolSize;
    private final PeerLimiter limiter;
    private final ActorRefResolver resolver;
    private final ConcurrentHashMap<String, ActorRef<ReplicaActor.Command>> refs = new ConcurrentHashMap<>();

    public ReplicaClient(ActorSystem<?> system, RingViewHolder ring, int poolSize, int maxInFlightPerPeer) {
        this.system = system;
        this.ring = ring;
        this.poolSize = poolSize;
        this.limiter = new PeerLimiter(maxInFlightPerPeer);
        this.resolver = ActorRefResolver.get(system);
    }

    public PeerLimiter limiter() {
        return limiter;
    }

    /**
     * Delivers {@code m} to {@code target}'s replica (hinted handoff replay, read repair). Completes
     * when the target acked it durably; fails with {@link ReplicaFailureException} when the target
     * refused it, {@link java.util.concurrent.TimeoutException} when it did not answer in time,
     * {@link io.sibyl.actors.consistency.OverloadedException} when too many requests to it are in
     * flight, and {@link IllegalArgumentException} when the ring does not know the target.
     */
    public CompletionStage<Void> sendMutation(NodeId target, Mutation m, Duration timeout) {
        Optional<NodeInfo> node = ring.current().record(target).map(NodeRecord::info);
        if (node.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("node " + target + " is not in the ring"));
        }
        return send(node.get(), m.key().token(), r -> new ReplicaActor.Mutate(m, r), timeout).thenApply(reply -> {
            if (reply instanceof ReplicaActor.ReplicaFailure f) {
                throw new ReplicaFailureException(target, f);
            }
            return null;
        });
    }

    /**
     * Hands {@code m}, a hint for {@code target}, to {@code holder}, which stores it in its own hint store
     * (a decommissioning node's hint hand-off). Completes once the holder has it durably; fails as
     * {@link #sendMutation} does.
     */
    public CompletionStage<Void> storeHint(NodeId holder, NodeId target, Mutation m, Duration timeout) {
        Optional<NodeInfo> node = ring.current().record(holder).map(NodeRecord::info);
        if (node.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("node " + holder + " is not in the ring"));
        }
        return send(node.get(), m.key().token(), r -> new ReplicaActor.StoreHint(target, m, r), timeout).thenApply(reply -> {
            if (reply instanceof ReplicaActor.ReplicaFailure f) {
                throw new ReplicaFailureException(holder, f);
            }
            return null;
        });
    }

    /** Takes a slot on {@code target} and sends; the stage fails with OverloadedException if there is none. */
    public CompletionStage<ReplicaActor.Reply> send(NodeInfo target, long token,
                                                    Function<ActorRef<ReplicaActor.Reply>, ReplicaActor.Command> request,
                                                    Duration timeout) {
        try {
            limiter.acquire(target.id());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendAcquired(target, token, request, timeout);
    }

    /**
     * Sends with a slot already taken (see {@link PeerLimiter#acquireAll}, used when a request must
     * reach several replicas or none); the slot is given back when the reply or the timeout arrives.
     */
    public CompletionStage<ReplicaActor.Reply> sendAcquired(NodeInfo target, long token,
                                                            Function<ActorRef<ReplicaActor.Reply>, ReplicaActor.Command> request,
                                                            Duration timeout) {
        CompletionStage<ReplicaActor.Reply> reply;
        try {
            reply = AskPattern.ask(replicaActor(target, token), request::apply, timeout, system.scheduler());
        } catch (RuntimeException e) {
            limiter.release(target.id());
            return CompletableFuture.failedFuture(e);
        }
        return reply.whenComplete((r, e) -> limiter.release(target.id()));
    }

    /** The replica actor of {@code node} that serves {@code token}, by path (no lookup round trip). */
    public ActorRef<ReplicaActor.Command> replicaActor(NodeInfo node, long token) {
        String path = "pekko://" + system.name() + "@" + node.host() + ":" + node.clusterPort()
                + ReplicaActors.path(ReplicaActors.indexFor(token, poolSize));
        return refs.computeIfAbsent(path, resolver::resolveActorRef);
    }
}
