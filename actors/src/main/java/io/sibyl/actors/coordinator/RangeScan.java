package io.sibyl.actors.coordinator;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.FilteredPartition;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.read.ReadStats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A scan over a key range at a consistency level (Cassandra's RangeCommands, without its
 * concurrency factor yet): the ring is cut into its token ranges in token order, consecutive ranges
 * whose contacted replicas are the same nodes are merged into one request, and the requests run one
 * after the other, each with the rows still allowed by the limit, until the limit or the end of the
 * command's range. Every contacted replica answers with data; they are reconciled and repaired as
 * partition reads are. The answer is in token order because the ranges are.
 */
final class RangeScan {

    /** A piece of the scan and the replicas asked for it. */
    record Group(KeyRange range, List<NodeInfo> contacts) {
    }

    private RangeScan() {
    }

    /** Cuts the command's range along the ring; fails with UNAVAILABLE when some piece lacks live replicas. */
    static List<Group> plan(RingView view, ReplicationStrategy strategy, String localDc, KeyRange range,
                            ConsistencyLevel cl, io.sibyl.actors.ring.ReplicaProximity proximity) {
        return plan(view, strategy, localDc, range, cl, proximity, n -> true);
    }

    /** @param hasCapacity replicas to pass over when enough others remain (peers with no free slot) */
    static List<Group> plan(RingView view, ReplicationStrategy strategy, String localDc, KeyRange range,
                            ConsistencyLevel cl, io.sibyl.actors.ring.ReplicaProximity proximity,
                            java.util.function.Predicate<NodeInfo> hasCapacity) {
        TokenRing ring = view.ring();
        if (ring.isEmpty()) {
            throw new UnavailableException(cl, cl.blockFor(strategy, localDc), 0);
        }
        int n = ring.tokenCount();
        List<Group> out = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            long lo = i == 0 ? Long.MIN_VALUE : ring.tokenAt(i - 1);
            KeyRange piece;
            List<NodeInfo> replicas;
            if (i < n) {
                long hi = ring.tokenAt(i);
                if (hi == Long.MIN_VALUE) {
                    continue;
                }
                piece = KeyRange.tokens(lo, hi);
                replicas = ring.replicasFor(strategy, hi);
            } else {
                if (lo == Long.MAX_VALUE) {
                    continue;
                }
                // Past the last token the ring wraps: the first token's replicas own it.
                piece = KeyRange.tokens(lo, Long.MIN_VALUE);
                replicas = ring.replicasFor(strategy, ring.tokenAt(0));
            }
            if (range.end() != null && piece.start().compareTo(range.end()) > 0) {
                break;
            }
            KeyRange part = intersect(range, piece);
            if (part.isEmpty()) {
                continue;
            }
            List<NodeInfo> live = new ArrayList<>(replicas.size());
            for (NodeInfo r : replicas) {
                if (view.isAlive(r.id())) {
                    live.add(r);
                }
            }
            cl.assureSufficientLiveNodesForRead(strategy, localDc, live);
            Group previous = out.isEmpty() ? null : out.get(out.size() - 1);
            List<NodeInfo> sorted = proximity.sortByProximity(live, previous == null ? Set.of() : ids(previous.contacts()));
            List<NodeInfo> available = sorted.stream().filter(hasCapacity).toList();
            if (available.size() < sorted.size() && !suffices(cl, strategy, localDc, available)) {
                // Too few with capacity: keep the saturated ones; taking their slots will refuse the read.
                available = sorted;
            }
            List<NodeInfo> contacts = cl.filterForRead(strategy, localDc, available);
            Group last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && ids(last.contacts()).equals(ids(contacts))) {
                out.set(out.size() - 1, new Group(new KeyRange(last.range().start(), last.range().startInclusive(),
                        part.end(), part.endInclusive()), last.contacts()));
            } else {
                out.add(new Group(part, contacts));
            }
        }
        return out;
    }

    private static boolean suffices(ConsistencyLevel cl, ReplicationStrategy strategy, String localDc,
                                    List<NodeInfo> replicas) {
        try {
            cl.assureSufficientLiveNodesForRead(strategy, localDc, replicas);
            return true;
        } catch (UnavailableException e) {
            return false;
        }
    }

    private static Set<NodeId> ids(List<NodeInfo> nodes) {
        Set<NodeId> out = new HashSet<>();
        for (NodeInfo n : nodes) {
            out.add(n.id());
        }
        return out;
    }

    /** The keys in both ranges (neither wraps; a null end is the end of the ring). */
    static KeyRange intersect(KeyRange a, KeyRange b) {
        int s = a.start().compareTo(b.start());
        DecoratedKey start = s >= 0 ? a.start() : b.start();
        boolean startInclusive = s > 0 ? a.startInclusive() : s < 0 ? b.startInclusive()
                : a.startInclusive() && b.startInclusive();
        DecoratedKey end;
        boolean endInclusive;
        if (a.end() == null || b.end() == null) {
            end = a.end() == null ? b.end() : a.end();
            endInclusive = a.end() == null ? b.endInclusive() : a.endInclusive();
        } else {
            int e = a.end().compareTo(b.end());
            end = e <= 0 ? a.end() : b.end();
            endInclusive = e < 0 ? a.endInclusive() : e > 0 ? b.endInclusive() : a.endInclusive() && b.endInclusive();
        }
        return new KeyRange(start, startInclusive, end, endInclusive);
    }

    /** Runs the planned pieces in order until the limit. */
    static CompletionStage<ReadResult> execute(ReplicaRequests rq, CoordinatorSettings settings,
                                               PartitionRangeReadCommand command, ConsistencyLevel cl,
                                               List<Group> groups) {
        Accumulator acc = new Accumulator(command);
        return step(rq, settings, command, cl, groups, 0, acc);
    }

    private static CompletionStage<ReadResult> step(ReplicaRequests rq, CoordinatorSettings settings,
                                                    PartitionRangeReadCommand command, ConsistencyLevel cl,
                                                    List<Group> groups, int index, Accumulator acc) {
        if (index == groups.size()) {
            return CompletableFuture.completedFuture(acc.result(false));
        }
        Group g = groups.get(index);
        PartitionRangeReadCommand sub = new PartitionRangeReadCommand(command.metadata(), g.range(), command.filter(),
                command.nowInSec(), new DataLimits(acc.remainingRows, command.limits().perPartitionRows()));
        return readGroup(rq, settings, sub, cl, g.contacts()).thenCompose(r -> {
            acc.add(r);
            if (r.limitReached() || acc.remainingRows <= 0) {
                return CompletableFuture.completedFuture(acc.result(true));
            }
            return step(rq, settings, command, cl, groups, index + 1, acc);
        });
    }

    private static CompletionStage<ReadResult> readGroup(ReplicaRequests rq, CoordinatorSettings settings,
                                                         PartitionRangeReadCommand sub, ConsistencyLevel cl,
                                                         List<NodeInfo> contacts) {
        List<NodeId> remote = new ArrayList<>();
        for (NodeInfo n : contacts) {
            if (!rq.isSelf(n)) {
                remote.add(n.id());
            }
        }
        try {
            rq.client().limiter().acquireAll(remote);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Reply>> futures = new ArrayList<>(contacts.size());
        List<NodeInfo> order = new ArrayList<>(contacts.size());
        for (NodeInfo n : contacts) {
            if (!rq.isSelf(n)) {
                order.add(n);
                futures.add(rq.rangeRead(n, sub, settings.rangeRequestTimeout(), true));
            }
        }
        for (NodeInfo n : contacts) {
            if (rq.isSelf(n)) {
                order.add(n);
                futures.add(rq.rangeRead(n, sub, settings.rangeRequestTimeout(), true));
            }
        }
        return ReadExecutor.collect(order, futures).thenCompose(round -> {
            round.check(cl, contacts.size(), round.received > 0);
            List<DataResolver.Response> responses = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) {
                responses.add(new DataResolver.Response(order.get(i),
                        ((ReplicaActor.DataResponse) futures.get(i).join()).result()));
            }
            return ReadExecutor.resolveAndRepair(rq, settings, cl, sub.metadata(), responses, sub::execute);
        });
    }

    /** The partitions and stats gathered so far, and the rows the limit still allows. */
    private static final class Accumulator {
        final PartitionRangeReadCommand command;
        final List<PartitionUpdate> partitions = new ArrayList<>();
        ReadStats stats;
        int remainingRows;

        Accumulator(PartitionRangeReadCommand command) {
            this.command = command;
            this.remainingRows = command.limits().rows();
        }

        void add(ReadResult r) {
            partitions.addAll(r.partitions());
            if (r.stats() != null) {
                if (stats == null) {
                    stats = new ReadStats(r.stats().thresholds(), r.stats().table());
                }
                stats.add(r.stats());
            }
            if (remainingRows != DataLimits.NO_LIMIT) {
                int live = 0;
                for (FilteredPartition p : r.filtered()) {
                    live += p.isStaticOnly() ? 1 : p.rows().size();
                }
                remainingRows -= live;
            }
        }

        ReadResult result(boolean limitReached) {
            return new ReadResult(command.metadata(), command.filter(), command.nowInSec(), partitions,
                    stats == null ? new ReadStats() : stats, limitReached);
        }
    }
}
