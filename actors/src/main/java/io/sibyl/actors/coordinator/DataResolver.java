package io.sibyl.actors.coordinator;

import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.storage.data.DecoratedKey;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.memtable.Memtable;
import io.sibyl.storage.read.PartitionSource;
import io.sibyl.storage.read.ReadResult;
import io.sibyl.storage.schema.TableMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reconciles the full data answers of several replicas (Cassandra's DataResolver): the client's
 * answer is the read executed again over the replicas' answers as sources, so the same merge rules
 * and limits apply as on a replica; and each replica whose answer differs from the reconciled data
 * gets a repairing mutation with the reconciled version of each partition it got wrong.
 */
final class DataResolver {

    /** One replica's full answer. */
    record Response(NodeInfo from, ReadResult result) {
    }

    private DataResolver() {
    }

    /** Whether every answer has the same digest (then no merge and no repair is needed). */
    static boolean agree(List<Response> responses) {
        byte[] first = responses.get(0).result().digest();
        for (int i = 1; i < responses.size(); i++) {
            if (!Arrays.equals(first, responses.get(i).result().digest())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The reconciled answer. It reports {@code limitReached} when any replica's answer stopped at the
     * limit: after reconciling, rows a replica returned may turn out deleted, so fewer rows than the
     * limit does not prove the data is exhausted, and the pager must ask on.
     *
     * @param execute the read to run over the replicas' answers ({@code command::execute})
     */
    static ReadResult resolve(TableMetadata table, List<Response> responses,
                              Function<List<PartitionSource>, ReadResult> execute) {
        List<PartitionSource> sources = new ArrayList<>(responses.size());
        boolean anyLimited = false;
        for (Response r : responses) {
            Memtable m = new Memtable(table);
            for (PartitionUpdate p : r.result().partitions()) {
                m.apply(p);
            }
            sources.add(m);
            anyLimited |= r.result().limitReached();
        }
        ReadResult merged = execute.apply(sources);
        if (!anyLimited || merged.limitReached()) {
            return merged;
        }
        return new ReadResult(merged.metadata(), merged.filter(), merged.nowInSec(), merged.partitions(),
                merged.stats(), true);
    }

    /**
     * The mutations that bring each stale replica up to the reconciled data: for every partition any
     * replica returned, the merge of all versions, sent to each replica whose version differs.
     * Writing a version a replica partly has is harmless: reconciliation is idempotent.
     */
    static Map<NodeInfo, List<Mutation>> repairs(List<Response> responses) {
        TreeMap<DecoratedKey, List<PartitionUpdate>> versions = new TreeMap<>();
        List<Map<DecoratedKey, PartitionUpdate>> byReplica = new ArrayList<>(responses.size());
        for (Response r : responses) {
            Map<DecoratedKey, PartitionUpdate> mine = new HashMap<>();
            for (PartitionUpdate p : r.result().partitions()) {
                versions.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
                mine.put(p.key(), p);
            }
            byReplica.add(mine);
        }
        Map<DecoratedKey, PartitionUpdate> merged = new LinkedHashMap<>();
        versions.forEach((k, v) -> merged.put(k, v.size() == 1 ? v.get(0) : PartitionUpdate.merge(v)));
        Map<NodeInfo, List<Mutation>> out = new LinkedHashMap<>();
        for (int i = 0; i < responses.size(); i++) {
            Map<DecoratedKey, PartitionUpdate> mine = byReplica.get(i);
            for (Map.Entry<DecoratedKey, PartitionUpdate> e : merged.entrySet()) {
                if (!e.getValue().equals(mine.get(e.getKey()))) {
                    out.computeIfAbsent(responses.get(i).from(), n -> new ArrayList<>()).add(Mutation.of(e.getValue()));
                }
            }
        }
        return out;
    }
}
