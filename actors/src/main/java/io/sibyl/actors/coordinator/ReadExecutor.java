package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.ReadFailureException;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.SinglePartitionReadCommand;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reads at a consistency level (Cassandra's AbstractReadExecutor + DigestResolver + blocking read
 * repair), as steps:
 * <ol>
 *   <li>ask the closest contacted replica for the data and the others for digests;</li>
 *   <li>if they have not all answered within the table's {@code speculative_retry} delay, ask one
 *       more replica (rapid read protection: {@link #speculate});</li>
 *   <li>as soon as enough answered ({@link ReadCallback}) and the digests match the data, answer the data;</li>
 *   <li>otherwise ask every replica that answered for its data, reconcile ({@link DataResolver}),
 *       send the stale replicas the repairing mutations and wait for them, then answer.</li>
 * </ol>
 * A replica failure answers READ_FAILURE; a missing answer READ_TIMEOUT with what arrived. Range
 * reads reuse {@link #resolveAndRepair} for each token range.
 */
final class ReadExecutor {

    private static final Logger log = LoggerFactory.getLogger(ReadExecutor.class);

    private ReadExecutor() {
    }

    /** One replica's answer, or null for a timeout. */
    private record Answer(NodeInfo from, Reply reply) {
    }

    /** The outcome of a round of requests that all had to answer. */
    static final class Round {
        final List<Answer> answers = new ArrayList<>();
        final Map<NodeId, String> failures = new LinkedHashMap<>();
        int received;
        int timedOut;
        OverloadedException overloaded;

        void check(ConsistencyLevel cl, int blockFor, boolean dataPresent) {
            if (overloaded != null) {
                throw overloaded;
            }
            if (!failures.isEmpty()) {
                throw new ReadFailureException(cl, received, blockFor, failures);
            }
            if (timedOut > 0) {
                throw new ReadTimeoutException(cl, received, blockFor, dataPresent);
            }
        }
    }

    /** Runs a task after a delay (the node's scheduler; tests may pass their own). */
    interface Timer {
        Cancellable schedule(Duration delay, Runnable task);
    }

    /**
     * @param choice the replicas to ask, closest first (the first gets the data request; the caller
     *               holds an in-flight slot for each remote one), and the one a speculative retry asks
     */
    static CompletionStage<ReadResult> read(ReplicaRequests rq, CoordinatorSettings settings,
                                            SinglePartitionReadCommand command, ConsistencyLevel cl,
                                            ReplicaChoice choice, ReadLatencies latencies, Timer timer) {
        Duration timeout = settings.readRequestTimeout();
        long start = System.nanoTime();
        List<NodeInfo> contacts = choice.contacts();
        ReadCallback callback = new ReadCallback(cl, contacts.size());
        for (NodeInfo n : contacts) {
            callback.expect(n);
        }
        // Remote requests first: the local read runs inline and should overlap with the network.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < contacts.size(); i++) {
                NodeInfo n = contacts.get(i);
                if (rq.isSelf(n) == (pass == 1)) {
                    callback.attach(n, send(rq, latencies, command, n, i == 0, timeout, true), false);
                }
            }
        }
        long delay = choice.extras().isEmpty() ? -1 : latencies.speculationDelayNanos(command.metadata(), timeout);
        if (delay == 0) {
            // ALWAYS: the extra replica is asked with the others (Cassandra's AlwaysSpeculatingReadExecutor),
            // even if a fast local answer already completed the read on another thread.
            speculate(rq, latencies, command, choice, callback, start, timeout, true);
        } else if (delay > 0 && !callback.isDone()) {
            Cancellable t = timer.schedule(Duration.ofNanos(delay),
                    () -> speculate(rq, latencies, command, choice, callback, start, timeout, false));
            callback.result().whenComplete((v, e) -> t.cancel());
        }
        return callback.result().thenCompose(answers -> {
            ReadResult data = ((ReplicaActor.DataResponse) answers.get(0).reply()).result();
            if (answers.size() == 1) {
                return CompletableFuture.completedFuture(data); // nothing to compare with: no digest (MD5) to compute
            }
            byte[] digest = data.digest();
            boolean match = true;
            for (int i = 1; i < answers.size() && match; i++) {
                match = Arrays.equals(digest, digestOf(answers.get(i).reply()));
            }
            if (match) {
                return CompletableFuture.completedFuture(data);
            }
            return fullDataRead(rq, settings, command, cl, answers);
        });
    }

    private static byte[] digestOf(Reply r) {
        return r instanceof ReplicaActor.DigestResponse d ? d.digest() : ((ReplicaActor.DataResponse) r).result().digest();
    }

    /**
     * Rapid read protection: the replicas asked have not all answered within the table's
     * {@code speculative_retry} delay, so one more is asked — for the data if none has arrived yet,
     * else for a digest (Cassandra's SpeculatingReadExecutor). Its timeout ends with the read's.
     */
    private static void speculate(ReplicaRequests rq, ReadLatencies latencies, SinglePartitionReadCommand command,
                                  ReplicaChoice choice, ReadCallback callback, long start, Duration timeout,
                                  boolean always) {
        if (!always && callback.isDone()) {
            return;
        }
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        if (left.isNegative() || left.isZero()) {
            return;
        }
        for (NodeInfo n : choice.extras()) {
            if (callback.asked(n)) {
                continue;
            }
            boolean data = !callback.dataPresent();
            callback.expect(n);
            latencies.speculated(command.metadata());
            log.debug("speculative retry of a read of {}.{}: asking {} for {}", command.metadata().keyspace(),
                    command.metadata().name(), n.id(), data ? "the data" : "a digest");
            callback.attach(n, send(rq, latencies, command, n, data, left, false), true);
            return;
        }
    }

    /** A data or digest request; remote answers feed the table's latency samples. */
    private static CompletableFuture<Reply> send(ReplicaRequests rq, ReadLatencies latencies,
                                                 SinglePartitionReadCommand command, NodeInfo to, boolean data,
                                                 Duration timeout, boolean acquired) {
        if (rq.isSelf(to)) {
            return data ? rq.readData(to, command, timeout, acquired) : rq.readDigest(to, command, timeout, acquired);
        }
        long sent = System.nanoTime();
        CompletableFuture<Reply> f = data ? rq.readData(to, command, timeout, acquired)
                : rq.readDigest(to, command, timeout, acquired);
        return f.whenComplete((r, e) -> {
            if (e == null && !(r instanceof ReplicaActor.ReplicaFailure)) {
                latencies.record(command.metadata(), System.nanoTime() - sent);
            }
        });
    }

    // The digests disagree: get the data of every replica that answered (data answers are already here).
    private static CompletionStage<ReadResult> fullDataRead(ReplicaRequests rq, CoordinatorSettings settings,
                                                            SinglePartitionReadCommand command, ConsistencyLevel cl,
                                                            List<ReadCallback.Answer> answered) {
        Duration timeout = settings.readRequestTimeout();
        List<NodeInfo> from = new ArrayList<>(answered.size());
        List<CompletableFuture<Reply>> futures = new ArrayList<>(answered.size());
        for (ReadCallback.Answer a : answered) {
            from.add(a.from());
            futures.add(a.reply() instanceof ReplicaActor.DataResponse ? CompletableFuture.completedFuture(a.reply())
                    : rq.readData(a.from(), command, timeout, false));
        }
        return collect(from, futures).thenCompose(round -> {
            round.check(cl, from.size(), true);
            List<DataResolver.Response> responses = new ArrayList<>();
            for (Answer a : round.answers) {
                responses.add(new DataResolver.Response(a.from(), ((ReplicaActor.DataResponse) a.reply()).result()));
            }
            return resolveAndRepair(rq, settings, cl, command.metadata(), responses, command::execute);
        });
    }

    /**
     * Reconciles full answers and, with blocking read repair, waits until every stale replica has
     * acked its repair before answering (so a later read at the same level sees the repaired data).
     */
    static CompletionStage<ReadResult> resolveAndRepair(ReplicaRequests rq, CoordinatorSettings settings,
                                                        ConsistencyLevel cl, TableMetadata table,
                                                        List<DataResolver.Response> responses,
                                                        Function<List<PartitionSource>, ReadResult> execute) {
        if (DataResolver.agree(responses)) {
            return CompletableFuture.completedFuture(responses.get(0).result());
        }
        ReadResult resolved = DataResolver.resolve(table, responses, execute);
        if (settings.readRepair() == CoordinatorSettings.ReadRepair.NONE) {
            return CompletableFuture.completedFuture(resolved);
        }
        Map<NodeInfo, List<Mutation>> repairs = DataResolver.repairs(responses);
        rq.readRepaired(cl, table, repairs.size());
        List<NodeInfo> targets = new ArrayList<>();
        List<CompletableFuture<Reply>> acks = new ArrayList<>();
        repairs.forEach((node, mutations) -> {
            for (Mutation m : mutations) {
                targets.add(node);
                acks.add(rq.mutate(node, m, settings.writeRequestTimeout(), false));
            }
        });
        int blockFor = responses.size();
        return collect(targets, acks).thenApply(round -> {
            if (round.overloaded != null) {
                throw round.overloaded;
            }
            if (!round.failures.isEmpty() || round.timedOut > 0) {
                // Cassandra: a blocking read repair that does not complete times the read out.
                throw new ReadTimeoutException(cl, blockFor - 1, blockFor, true);
            }
            return resolved;
        });
    }

    /** Waits for every future; never fails (timeouts and failures are counted in the round). */
    static CompletionStage<Round> collect(List<NodeInfo> from, List<CompletableFuture<Reply>> futures) {
        return CompletableFuture.allOf(futures.stream()
                        .map(f -> f.handle((r, e) -> null))
                        .toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    Round round = new Round();
                    for (int i = 0; i < futures.size(); i++) {
                        NodeInfo n = from.get(i);
                        Reply r;
                        try {
                            r = futures.get(i).join();
                        } catch (CompletionException e) {
                            Throwable c = e.getCause();
                            if (c instanceof java.util.concurrent.TimeoutException) {
                                round.timedOut++;
                            } else if (c instanceof OverloadedException o) {
                                round.overloaded = o;
                            } else {
                                // Overloaded (no slot for a second round) or an unexpected error.
                                round.failures.put(n.id(), String.valueOf(c));
                            }
                            round.answers.add(new Answer(n, null));
                            continue;
                        } catch (java.util.concurrent.CancellationException e) {
                            round.timedOut++;
                            round.answers.add(new Answer(n, null));
                            continue;
                        }
                        if (r instanceof ReplicaActor.ReplicaFailure f) {
                            round.failures.put(n.id(), f.reason() + ": " + f.message());
                        } else {
                            round.received++;
                        }
                        round.answers.add(new Answer(n, r));
                    }
                    return round;
                });
    }
}
