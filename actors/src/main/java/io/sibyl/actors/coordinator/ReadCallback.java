package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.ReadFailureException;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The first round of a partition read (Cassandra's ReadCallback): the data and digest requests sent
 * so far — the contacts, and a speculative one if it was sent — and their answers. It completes as
 * soon as {@code blockFor} replicas answered, one of them with the data, without waiting for the
 * others (a stalled replica costs nothing once a speculative retry replaced it); otherwise, when
 * every request has answered, failed or timed out, with READ_FAILURE if a replica failed, else
 * READ_TIMEOUT.
 */
final class ReadCallback {

    /** One replica's successful answer. */
    record Answer(NodeInfo from, Reply reply) {
    }

    private final ConsistencyLevel cl;
    private final int blockFor;
    private final CompletableFuture<List<Answer>> result = new CompletableFuture<>();
    private final List<Answer> answers = new ArrayList<>();
    private final List<NodeInfo> asked = new ArrayList<>();
    private final Map<NodeId, String> failures = new LinkedHashMap<>();
    private int outstanding;
    private boolean dataPresent;
    private OverloadedException overloaded;

    ReadCallback(ConsistencyLevel cl, int blockFor) {
        this.cl = cl;
        this.blockFor = blockFor;
    }

    /** The successful answers, the data first, once the level is met; else the failure. */
    CompletableFuture<List<Answer>> result() {
        return result;
    }

    /**
     * Counts a request before it is sent, so that a reply arriving at once (a local read) cannot
     * complete the round before the other requests are counted.
     */
    synchronized void expect(NodeInfo to) {
        outstanding++;
        asked.add(to);
    }

    synchronized boolean isDone() {
        return result.isDone();
    }

    synchronized boolean dataPresent() {
        return dataPresent;
    }

    /** Whether {@code n} was asked already (a speculative retry asks someone new). */
    synchronized boolean asked(NodeInfo n) {
        return asked.contains(n);
    }

    /**
     * @param optional a speculative request: its refusal for want of an in-flight slot is no failure
     */
    void attach(NodeInfo from, CompletableFuture<Reply> reply, boolean optional) {
        reply.whenComplete((r, e) -> onReply(from, r, e, optional));
    }

    private void onReply(NodeInfo from, Reply r, Throwable e, boolean optional) {
        List<Answer> done = null;
        RuntimeException failed = null;
        synchronized (this) {
            outstanding--;
            if (e != null) {
                Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (c instanceof OverloadedException o) {
                    if (!optional) {
                        overloaded = o;
                    }
                } else if (!(c instanceof TimeoutException) && !(c instanceof CancellationException)) {
                    failures.put(from.id(), String.valueOf(c));
                }
            } else if (r instanceof ReplicaActor.ReplicaFailure f) {
                failures.put(from.id(), f.reason() + ": " + f.message());
            } else {
                if (r instanceof ReplicaActor.DataResponse) {
                    dataPresent = true;
                    answers.add(0, new Answer(from, r));
                } else {
                    answers.add(new Answer(from, r));
                }
            }
            if (result.isDone()) {
                return;
            }
            if (answers.size() >= blockFor && dataPresent) {
                done = List.copyOf(answers);
            } else if (outstanding == 0) {
                failed = failure();
            } else {
                return;
            }
        }
        // Completed outside the lock: what follows (digest comparison, a second round) runs on this thread.
        if (done != null) {
            result.complete(done);
        } else {
            result.completeExceptionally(failed);
        }
    }

    private RuntimeException failure() {
        if (overloaded != null) {
            return overloaded;
        }
        if (!failures.isEmpty()) {
            return new ReadFailureException(cl, answers.size(), blockFor, failures);
        }
        return new ReadTimeoutException(cl, answers.size(), blockFor, dataPresent);
    }
}
