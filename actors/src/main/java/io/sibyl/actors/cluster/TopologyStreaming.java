package io.sibyl.actors.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetches the ranges this node gains in the change in progress (it is one of the change's streamers
 * and the change is at STREAMING). Completes when every gained range of every keyspace is durable
 * here; fails with a message fit for the operator (e.g. the strict source is down).
 */
@FunctionalInterface
public interface TopologyStreaming {

    CompletionStage<Void> fetch(ClusterMetadata metadata, RingView view);

    /** For nodes without storage (tests of membership alone): there is nothing to fetch. */
    TopologyStreaming NOTHING = (m, v) -> CompletableFuture.completedFuture(null);
}
