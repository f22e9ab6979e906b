package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.actors.consistency.WriteType;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Counts the acks of one mutation against its consistency level (Cassandra's
 * AbstractWriteResponseHandler): succeeds as soon as the level is met, fails with
 * {@link WriteTimeoutException} at the timeout, or at once when every contacted replica has
 * answered and the level can no longer be met. Acks arrive on many threads; state is guarded by
 * the handler's monitor, and the future is completed outside it.
 */
final class WriteResponseHandler {

    /** The key a stored hint is counted under: it is an ack only for ANY. */
    private static final String HINT = "\u0000hint";

    private final ConsistencyLevel cl;
    private final ReplicationStrategy strategy;
    private final String localDc;
    private final WriteType writeType;
    private final int blockFor;
    private final List<NodeInfo> pendingReplicas;
    private final Set<NodeId> waitingFor = new HashSet<>();
    private final Set<NodeId> acked = new HashSet<>();
    private final Set<NodeId> hintable = new HashSet<>();
    private final Map<String, Integer> acksPerDc = new HashMap<>();
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private final int contacted;
    private int received;
    private int pendingHints;

    /** Waits for {@code plan}'s acks from its live replicas (pending ones raise the count: {@link WritePlan#blockFor}). */
    WriteResponseHandler(ConsistencyLevel cl, WritePlan plan, String localDc, WriteType writeType) {
        this.cl = cl;
        this.strategy = plan.strategy();
        this.localDc = localDc;
        this.writeType = writeType;
        this.blockFor = plan.blockFor();
        this.pendingReplicas = plan.pending();
        for (NodeInfo n : plan.live()) {
            waitingFor.add(n.id());
        }
        this.contacted = waitingFor.size();
        hintable.addAll(waitingFor);
    }

    CompletableFuture<Void> result() {
        return result;
    }

    int blockFor() {
        return blockFor;
    }

    void onAck(NodeInfo replica) {
        boolean complete;
        synchronized (this) {
            if (!waitingFor.remove(replica.id())) {
                return;
            }
            acked.add(replica.id());
            if (cl.countsForWrite(replica, localDc)) {
                received++;
                acksPerDc.merge(replica.dc(), 1, Integer::sum);
            }
            complete = cl.isSufficient(strategy, localDc, acksPerDc, pendingReplicas);
        }
        if (complete) {
            result.complete(null);
        } else {
            checkHopeless();
        }
    }

    void onFailure(NodeInfo replica) {
        synchronized (this) {
            if (!waitingFor.remove(replica.id())) {
                return;
            }
        }
        checkHopeless();
    }

    /** A hint is about to be stored; the handler cannot give up before it is. */
    synchronized void hintPending() {
        pendingHints++;
    }

    /** A hint was stored ({@code stored}) or not; a stored hint is the one ack ANY needs. */
    void onHint(boolean stored) {
        boolean complete;
        synchronized (this) {
            pendingHints--;
            if (stored && cl == ConsistencyLevel.ANY) {
                acksPerDc.merge(HINT, 1, Integer::sum);
            }
            complete = cl.isSufficient(strategy, localDc, acksPerDc, pendingReplicas);
        }
        if (complete) {
            result.complete(null);
        } else {
            checkHopeless();
        }
    }

    void checkHopeless() {
        boolean hopeless;
        synchronized (this) {
            hopeless = waitingFor.isEmpty() && pendingHints == 0 && !cl.isSufficient(strategy, localDc, acksPerDc, pendingReplicas);
        }
        if (hopeless) {
            fail();
        }
    }

    /** The timeout: fails the write unless it already succeeded. */
    void onTimeout() {
        fail();
    }

    private void fail() {
        int got;
        synchronized (this) {
            got = received;
        }
        result.completeExceptionally(new WriteTimeoutException(cl, got, blockFor, writeType));
    }

    /**
     * True exactly once for a contacted replica that has not acked: the caller then stores its hint.
     * (Its failure and the write timeout race; only one of them may hint.)
     */
    synchronized boolean takeHint(NodeId replica) {
        return !acked.contains(replica) && hintable.remove(replica);
    }

    /** True once every contacted replica acked: no hint will be needed. */
    synchronized boolean allAcked() {
        return acked.size() == contacted;
    }
}
