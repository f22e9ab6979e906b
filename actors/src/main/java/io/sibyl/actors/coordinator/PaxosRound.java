package io.sibyl.actors.coordinator;

import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One Paxos message to each participant, and the answers as they come: the round completes as soon
 * as {@code enough} holds for the answers so far, or when every participant answered (a reply, a
 * failure, or the timeout). Answers arrive on many threads; the list is guarded by the round.
 */
final class PaxosRound {

    /** One participant's answer: its reply, or null when it failed to answer (timeout, overload, send error). */
    record Answer(NodeInfo from, Reply reply) {
    }

    private final List<Answer> answers = new ArrayList<>();
    private final CompletableFuture<List<Answer>> done = new CompletableFuture<>();
    private final int expected;
    private final Predicate<List<Answer>> enough;

    private PaxosRound(int expected, Predicate<List<Answer>> enough) {
        this.expected = expected;
        this.enough = enough;
    }

    /** Sends to every target (remote ones first: the local one runs inline) and collects. */
    static CompletableFuture<List<Answer>> run(ReplicaRequests rq, List<NodeInfo> targets,
                                               Function<NodeInfo, CompletableFuture<Reply>> send,
                                               Predicate<List<Answer>> enough) {
        PaxosRound round = new PaxosRound(targets.size(), enough);
        if (targets.isEmpty()) {
            round.done.complete(List.of());
        }
        for (int pass = 0; pass < 2; pass++) {
            for (NodeInfo n : targets) {
                if (rq.isSelf(n) != (pass == 1)) {
                    continue;
                }
                CompletableFuture<Reply> reply;
                try {
                    reply = send.apply(n);
                } catch (RuntimeException e) {
                    reply = CompletableFuture.failedFuture(e);
                }
                reply.whenComplete((r, e) -> round.add(new Answer(n, e == null ? r : null)));
            }
        }
        return round.done;
    }

    private void add(Answer a) {
        List<Answer> snapshot;
        synchronized (this) {
            if (done.isDone()) {
                return;
            }
            answers.add(a);
            snapshot = List.copyOf(answers);
        }
        if (snapshot.size() == expected || enough.test(snapshot)) {
            done.complete(snapshot);
        }
    }
}
