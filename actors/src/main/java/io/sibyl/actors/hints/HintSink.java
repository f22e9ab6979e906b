package io.sibyl.actors.hints;

import io.sibyl.actors.ring.NodeId;
import io.sibyl.storage.data.Mutation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the coordinator leaves a write for a replica that is down or did not acknowledge in time
 * (hinted handoff). The coordinator depends only on this interface; the hint store and the
 * HintReplayer actors implement it.
 */
public interface HintSink {

    /**
     * Stores a hint for {@code target} durably. Completes with {@code true} once the hint is on disk,
     * {@code false} when no hint was stored on purpose (hinted handoff disabled, or the target has
     * been down longer than {@code max_hint_window}); exceptionally when storing failed.
     */
    CompletionStage<Boolean> store(NodeId target, Mutation mutation);

    /** Stores nothing: hinted handoff off. */
    HintSink NONE = (target, mutation) -> CompletableFuture.completedFuture(false);
}
