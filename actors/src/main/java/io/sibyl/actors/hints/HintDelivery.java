package io.sibyl.actors.hints;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import java.util.concurrent.CompletionStage;

/**
 * How a HintReplayer hands a stored write to its target node. The node wires it to the replica
 * messaging ({@code sendMutation(target, m, timeout)}); tests use fakes. The stage completes once
 * the target has applied the mutation, exceptionally when it did not (the hint is then retried).
 */
@FunctionalInterface
public interface HintDelivery {
    CompletionStage<Void> deliver(NodeId target, Mutation mutation);
}
