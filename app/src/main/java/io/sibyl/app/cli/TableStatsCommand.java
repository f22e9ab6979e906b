package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sibyl tablestats [KS[.TABLE]]}: per-table storage and latency figures of the node (as nodetool tablestats). */
@Command(name = "tablestats", mixinStandardHelpOptions = true, description = "Per-table SSTables, sizes, partitions, latencies, bloom filter and tombstones on the node.")
public final class TableStatsCommand extends NodeVerb {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KS[.TABLE]", description = "Only this keyspace or table")
    String filter;

    @Override
    int run(NodeClient c) throws Exception {
        String ks = filter == null ? null : filter.split("\\.", 2)[0];
        String table = filter != null && filter.contains(".") ? filter.split("\\.", 2)[1] : null;
        List<Map<String, Object>> tables = new ArrayList<>();
        for (JsonNode t : get(c, "/v1/admin/tables").path("tables")) {
            if ((ks != null && !ks.equals(t.path("keyspace").asText())) || (table != null && !table.equals(t.path("table").asText()))) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyspace", t.path("keyspace").asText());
            m.put("table", t.path("table").asText());
            m.put("sstable_count", t.path("sstableCount").asInt());
            m.put("sstable_bytes", t.path("sstableBytes").asLong());
            m.put("memtable_bytes", t.path("memtableBytes").asLong());
            m.put("memtable_partitions", t.path("memtablePartitions").asLong());
            m.put("estimated_partitions", t.path("estimatedPartitions").asLong());
            m.put("read_count", t.path("readLatency").path("count").asLong());
            m.put("read_p99_micros", t.path("readLatency").path("p99Micros").asLong());
            m.put("write_count", t.path("writeLatency").path("count").asLong());
            m.put("write_p99_micros", t.path("writeLatency").path("p99Micros").asLong());
            m.put("bloom_filter_false_positives", t.path("bloomFilterFalsePositives").asLong());
            m.put("bloom_filter_false_ratio", t.path("bloomFilterFalseRatio").asDouble());
            m.put("bloom_filter_bytes", t.path("bloomFilterBytes").asLong());
            m.put("droppable_tombstones", t.path("droppableTombstones").asLong());
            m.put("tombstones_scanned", t.path("tombstonesScanned").asLong());
            m.put("pending_compactions", t.path("compaction").path("pendingTasks").asInt());
            m.put("write_amplification", t.path("compaction").path("writeAmplification").asDouble());
            tables.add(m);
        }
        if (tables.isEmpty() && filter != null) {
            throw new NodeError("no table matches " + filter);
        }
        if (json) {
            printJson(Map.of("tables", tables));
            return 0;
        }
        String lastKs = null;
        for (Map<String, Object> m : tables) {
            if (!m.get("keyspace").equals(lastKs)) {
                lastKs = (String) m.get("keyspace");
                out.println("Keyspace : " + lastKs);
            }
            out.println("\tTable: " + m.get("table"));
            out.println("\tSSTable count: " + m.get("sstable_count"));
            out.println("\tSpace used (live): " + bytes((Long) m.get("sstable_bytes")));
            out.println("\tMemtable data size: " + bytes((Long) m.get("memtable_bytes")));
            out.println("\tNumber of partitions (estimate): " + m.get("estimated_partitions"));
            out.println("\tLocal read count: " + m.get("read_count") + ", p99 " + m.get("read_p99_micros") + " us");
            out.println("\tLocal write count: " + m.get("write_count") + ", p99 " + m.get("write_p99_micros") + " us");
            out.println("\tBloom filter false positives: " + m.get("bloom_filter_false_positives") + String.format(Locale.ROOT,
                    " (ratio %.5f), %s", (Double) m.get("bloom_filter_false_ratio"), bytes((Long) m.get("bloom_filter_bytes"))));
            out.println("\tDroppable tombstones: " + m.get("droppable_tombstones") + ", scanned by reads: " + m.get("tombstones_scanned"));
            out.println("\tPending compactions: " + m.get("pending_compactions") + String.format(Locale.ROOT,
                    ", write amplification %.2f", (Double) m.get("write_amplification")));
            out.println();
        }
        return 0;
    }
}
