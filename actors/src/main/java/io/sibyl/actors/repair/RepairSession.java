package io.sibyl.actors.repair;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.replica.ReplicaActor;
import io.sibyl.actors.replica.ReplicaActor.Reply;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.ReplicationStrategy;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.engine.TableStats;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.read.ClusteringFilter;
import io.sibyl.storage.read.DataLimits;
import io.sibyl.storage.read.KeyRange;
import io.sibyl.storage.read.PartitionRangeReadCommand;
import io.sibyl.storage.repair.MerkleTree;
import io.sibyl.storage.repair.TokenSubrange;
import io.sibyl.storage.schema.TableMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One anti-entropy repair job, run on its own thread by {@link RepairService}. For each table and
 * each token range this node replicates (or only its primary ranges, or only a subrange), it asks
 * every replica of the range for a Merkle tree of it (same range, depth and {@code nowInSec}, so
 * equal data gives equal trees), finds the leaves where any two replicas disagree, reads those
 * ranges' raw partitions from every replica (tombstones included), merges each partition across
 * replicas the way reads reconcile, and sends the merged partition as a mutation to every replica
 * whose copy differs. Because tombstones travel like any data and reconciliation is by timestamp,
 * a delete a replica missed reaches it and an older write can never come back through repair.
 *
 * <p>Every replica of a range must be alive: repairing with one missing would compare nothing
 * against it and report success. The session fails at the first range whose replicas are not all up.
 */
public final class RepairSession implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RepairSession.class);

    private final String id;
    private final RepairOptions options;
    private final Supplier<RingView> ring;
    private final Supplier<Schema> schema;
    private final java.util.function.Function<TableMetadata, TableStore> localTables;
    private final RepairReplicas replicas;
    private final RepairSettings settings;

    private volatile RepairState state = RepairState.RUNNING;
    private volatile List<String> tables;
    private volatile String error;
    private final AtomicLong rangesTotal = new AtomicLong();
    private final AtomicLong rangesDone = new AtomicLong();
    private final AtomicLong mismatchedLeaves = new AtomicLong();
    private final AtomicLong partitionsStreamed = new AtomicLong();

    RepairSession(String id, RepairOptions options, Supplier<RingView> ring, Supplier<Schema> schema,
                  java.util.function.Function<TableMetadata, TableStore> localTables, RepairReplicas replicas,
                  RepairSettings settings) {
        this.id = id;
        this.options = options;
        this.ring = ring;
        this.schema = schema;
        this.localTables = localTables;
        this.replicas = replicas;
        this.settings = settings;
        this.tables = options.tables();
    }

    public String id() {
        return id;
    }

    public RepairStatus status() {
        return new RepairStatus(id, options.keyspace(), tables, state, rangesTotal.get(), rangesDone.get(),
                mismatchedLeaves.get(), partitionsStreamed.get(), error);
    }

    @Override
    public void run() {
        try {
            repair();
            state = RepairState.SUCCEEDED;
            log.info("repair {} of {} {} succeeded: {} ranges, {} mismatched leaves, {} partitions streamed", id,
                    options.keyspace(), tables, rangesDone.get(), mismatchedLeaves.get(), partitionsStreamed.get());
        } catch (Throwable t) {
            error = t.getMessage() == null ? t.toString() : t.getMessage();
            state = RepairState.FAILED;
            log.warn("repair {} of {} failed: {}", id, options.keyspace(), error, t instanceof RepairException ? null : t);
        }
    }

    private void repair() {
        RingView view = ring.get();
        Schema s = schema.get();
        KeyspaceMetadata ks = s.keyspace(options.keyspace());
        if (ks == null) {
            throw new RepairException("keyspace " + options.keyspace() + " does not exist");
        }
        ReplicationStrategy strategy = s.strategy(options.keyspace());
        List<TableMetadata> todo = new ArrayList<>();
        if (options.tables().isEmpty()) {
            new TreeSet<>(ks.tables().keySet()).forEach(t -> todo.add(ks.table(t)));
        } else {
            for (String t : options.tables()) {
                TableMetadata m = ks.table(t);
                if (m == null) {
                    throw new RepairException("table " + options.keyspace() + "." + t + " does not exist");
                }
                todo.add(m);
            }
        }
        tables = todo.stream().map(TableMetadata::name).toList();
        List<TokenRange> owned = options.primaryRangesOnly()
                ? view.ring().primaryRangesFor(view.selfId())
                : view.ring().rangesFor(strategy, view.selfId());
        List<TokenSubrange> pieces = RepairRanges.pieces(owned, options.subrange());
        rangesTotal.set((long) pieces.size() * todo.size());
        int nowInSec = (int) (System.currentTimeMillis() / 1000);
        for (TableMetadata table : todo) {
            long partitions = estimatedPartitions(table);
            for (TokenSubrange piece : pieces) {
                List<NodeInfo> nodes = view.ring().replicasFor(strategy, piece.end());
                for (NodeInfo n : nodes) {
                    if (!replicas.isSelf(n) && !ring.get().isAlive(n.id())) {
                        throw new RepairException("replica " + n.id() + " of range " + piece + " is down; repair needs"
                                + " every replica of a range alive");
                    }
                }
                if (nodes.size() > 1) {
                    int depth = RepairRanges.depth(piece, RepairRanges.partitionsIn(piece, partitions),
                            settings.merkleTreeDepth());
                    repairRange(table, piece, depth, nodes, nowInSec);
                }
                rangesDone.incrementAndGet();
            }
        }
    }

    private long estimatedPartitions(TableMetadata table) {
        try {
            TableStats st = localTables.apply(table).stats();
            return st.estimatedPartitions() + st.memtablePartitions();
        } catch (RuntimeException e) {
            return 1L << settings.merkleTreeDepth();
        }
    }

    private void repairRange(TableMetadata table, TokenSubrange range, int depth, List<NodeInfo> nodes, int nowInSec) {
        List<CompletableFuture<Reply>> asks = new ArrayList<>(nodes.size());
        for (NodeInfo n : nodes) {
            asks.add(replicas.tree(n, table, range, depth, nowInSec));
        }
        List<MerkleTree> trees = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo n = nodes.get(i);
            trees.add(RepairReplicas.treeOf(n, replicas.await(n, asks.get(i), "build a Merkle tree of " + range)));
        }
        List<TokenSubrange> differing = differingRanges(trees);
        for (TokenSubrange d : differing) {
            stream(table, d, nodes, nowInSec);
        }
    }

    /** The leaf ranges where any replica's tree differs from the first's, adjacent leaves merged. */
    private List<TokenSubrange> differingRanges(List<MerkleTree> trees) {
        MerkleTree first = trees.get(0);
        boolean allEqual = true;
        for (MerkleTree t : trees) {
            allEqual &= Arrays.equals(first.root(), t.root());
        }
        if (allEqual) {
            return List.of();
        }
        List<TokenSubrange> out = new ArrayList<>();
        int runStart = -1;
        for (int leaf = 0; leaf <= first.leafCount(); leaf++) {
            boolean differs = false;
            if (leaf < first.leafCount()) {
                byte[] h = first.leafHash(leaf);
                for (MerkleTree t : trees) {
                    differs |= !Arrays.equals(h, t.leafHash(leaf));
                }
            }
            if (differs) {
                mismatchedLeaves.incrementAndGet();
                if (runStart < 0) {
                    runStart = leaf;
                }
            } else if (runStart >= 0) {
                out.add(new TokenSubrange(first.leafRange(runStart).start(), first.leafRange(leaf - 1).end()));
                runStart = -1;
            }
        }
        return out;
    }

    /**
     * Reads {@code range} from every replica, merges, and sends each replica what it lacks. A replica
     * whose answer would be too large for one message answers RESPONSE_TOO_LARGE: the range is halved.
     */
    private void stream(TableMetadata table, TokenSubrange range, List<NodeInfo> nodes, int nowInSec) {
        List<List<CompletableFuture<Reply>>> asks = new ArrayList<>();
        List<KeyRange> keyRanges = range.keyRanges();
        for (NodeInfo n : nodes) {
            List<CompletableFuture<Reply>> mine = new ArrayList<>();
            for (KeyRange kr : keyRanges) {
                mine.add(replicas.read(n, new PartitionRangeReadCommand(table, kr, ClusteringFilter.ALL, nowInSec,
                        DataLimits.NONE)));
            }
            asks.add(mine);
        }
        List<Map<DecoratedKey, PartitionUpdate>> copies = new ArrayList<>(nodes.size());
        TreeMap<DecoratedKey, List<PartitionUpdate>> versions = new TreeMap<>();
        boolean tooLarge = false;
        for (int i = 0; i < nodes.size(); i++) {
            NodeInfo n = nodes.get(i);
            Map<DecoratedKey, PartitionUpdate> copy = new HashMap<>();
            for (CompletableFuture<Reply> f : asks.get(i)) {
                Reply r = replicas.await(n, f, "read " + range);
                if (r instanceof ReplicaActor.ReplicaFailure fail
                        && fail.reason() == ReplicaActor.FailureReason.RESPONSE_TOO_LARGE) {
                    tooLarge = true;
                } else if (r instanceof ReplicaActor.DataResponse d) {
                    for (PartitionUpdate p : d.result().partitions()) {
                        copy.put(p.key(), p);
                        versions.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
                    }
                } else {
                    throw RepairReplicas.failed(n, r, "read " + range);
                }
            }
            copies.add(copy);
        }
        if (tooLarge) {
            if (Long.compareUnsigned(range.width(), 1) <= 0) {
                throw new RepairException("a single token of " + table.keyspace() + "." + table.name() + " (" + range
                        + ") holds more data than one inter-node message");
            }
            long mid = range.start() + (range.width() >>> 1);
            stream(table, new TokenSubrange(range.start(), mid), nodes, nowInSec);
            stream(table, new TokenSubrange(mid, range.end()), nodes, nowInSec);
            return;
        }
        List<List<Mutation>> outgoing = new ArrayList<>(nodes.size());
        nodes.forEach(n -> outgoing.add(new ArrayList<>()));
        for (Map.Entry<DecoratedKey, List<PartitionUpdate>> e : versions.entrySet()) {
            PartitionUpdate merged = PartitionUpdate.merge(e.getValue());
            for (int i = 0; i < nodes.size(); i++) {
                if (!merged.equals(copies.get(i).get(e.getKey()))) {
                    outgoing.get(i).add(Mutation.of(merged));
                }
            }
        }
        send(nodes, outgoing, range);
    }

    private void send(List<NodeInfo> nodes, List<List<Mutation>> outgoing, TokenSubrange range) {
        List<NodeInfo> to = new ArrayList<>();
        List<CompletableFuture<Reply>> acks = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            List<Mutation> batch = new ArrayList<>();
            long bytes = 0;
            for (Mutation m : outgoing.get(i)) {
                batch.add(m);
                bytes += m.dataSize();
                if (bytes >= settings.batchBytes()) {
                    to.add(nodes.get(i));
                    acks.add(replicas.apply(nodes.get(i), batch));
                    batch = new ArrayList<>();
                    bytes = 0;
                }
            }
            if (!batch.isEmpty()) {
                to.add(nodes.get(i));
                acks.add(replicas.apply(nodes.get(i), batch));
            }
            partitionsStreamed.addAndGet(outgoing.get(i).size());
        }
        for (int i = 0; i < acks.size(); i++) {
            Reply r = replicas.await(to.get(i), acks.get(i), "apply repair mutations of " + range);
            if (!(r instanceof ReplicaActor.MutateAck)) {
                throw RepairReplicas.failed(to.get(i), r, "apply repair mutations of " + range);
            }
        }
    }
}
