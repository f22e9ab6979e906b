package io.sibyl.actors.coordinator;

import io.sibyl.actors.batchlog.Batch;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.ring.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batchlog steps of a logged batch (Cassandra's {@code syncWriteToBatchlog} and
 * {@code asyncRemoveFromBatchlog}): the batch is stored on every chosen node before any of its
 * mutations is sent, and its entries are removed, fire and forget, once the mutations met the
 * consistency level.
 */
final class BatchlogWrites {

    private static final Logger log = LoggerFactory.getLogger(BatchlogWrites.class);

    private final ReplicaRequests requests;
    private final Duration timeout;

    BatchlogWrites(ReplicaRequests requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    /** The level a batchlog write is reported at: every chosen node must ack, one or two of them. */
    static ConsistencyLevel level(List<NodeInfo> holders) {
        return holders.size() == 1 ? ConsistencyLevel.ONE : ConsistencyLevel.TWO;
    }

    /**
     * Stores the batch on every holder; completes when all acked, else fails with WRITE_TIMEOUT of
     * write type BATCH_LOG as soon as one failed or when one stayed silent past the write timeout.
     */
    CompletableFuture<Void> store(Batch batch, List<NodeInfo> holders) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        int blockFor = holders.size();
        AtomicInteger acks = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        for (NodeInfo holder : holders) {
            requests.storeBatch(holder, batch, timeout).whenComplete((reply, e) -> {
                if (reply instanceof ReplicaActor.MutateAck) {
                    if (acks.incrementAndGet() == blockFor) {
                        result.complete(null);
                    }
                    return;
                }
                if (failed.compareAndSet(false, true)) {
                    log.debug("batchlog node {} did not store batch {}: {}", holder.id(), batch.id(),
                            reply instanceof ReplicaActor.ReplicaFailure f ? f.message() : String.valueOf(e));
                    result.completeExceptionally(new WriteTimeoutException(level(holders), acks.get(), blockFor,
                            WriteType.BATCH_LOG));
                }
            });
        }
        return result;
    }

    /** Removes the batch's entries from its holders; a failure only leaves it to be replayed, harmlessly. */
    void remove(Batch batch, List<NodeInfo> holders) {
        for (NodeInfo holder : holders) {
            requests.removeBatch(holder, batch.id(), timeout).whenComplete((reply, e) -> {
                if (!(reply instanceof ReplicaActor.MutateAck)) {
                    log.debug("batchlog node {} did not remove batch {} (it will replay it): {}", holder.id(),
                            batch.id(), reply instanceof ReplicaActor.ReplicaFailure f ? f.message() : String.valueOf(e));
                }
            });
        }
    }
}
