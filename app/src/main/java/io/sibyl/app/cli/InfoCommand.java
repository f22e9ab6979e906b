package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code sibyl info}: the answering node: id, place, state, load, tokens, schema, tables and whether it is drained. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "The node's id, location, state, load, tokens and storage (as nodetool info).")
public final class InfoCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode cluster = get(c, "/v1/cluster");
        String self = cluster.path("node").asText();
        JsonNode me = null;
        for (JsonNode n : cluster.path("nodes")) {
            if (n.path("id").asText().equals(self)) {
                me = n;
            }
        }
        if (me == null) {
            throw new NodeError("node " + self + " is not in its own view of the ring");
        }
        long sstables = 0;
        long sstableBytes = 0;
        long memtableBytes = 0;
        int tables = 0;
        for (JsonNode t : get(c, "/v1/admin/tables").path("tables")) {
            tables++;
            sstables += t.path("sstableCount").asLong();
            sstableBytes += t.path("sstableBytes").asLong();
            memtableBytes += t.path("memtableBytes").asLong();
        }
        JsonNode tp = get(c, "/v1/admin/tpstats");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", self);
        m.put("address", me.path("address").asText());
        m.put("http_port", me.path("http_port").asInt());
        m.put("dc", me.path("dc").asText());
        m.put("rack", me.path("rack").asText());
        m.put("state", me.path("state").asText());
        m.put("load_bytes", me.path("load").isNumber() ? me.path("load").asLong() : null);
        m.put("tokens", me.path("num_tokens").asInt());
        m.put("schema_version", me.path("schema_version").asText());
        m.put("epoch", cluster.path("epoch").asLong());
        m.put("tables", tables);
        m.put("sstables", sstables);
        m.put("sstable_bytes", sstableBytes);
        m.put("memtable_bytes", memtableBytes);
        m.put("drained", tp.path("drained").asBoolean());
        JsonNode kc = tp.path("key_cache");
        JsonNode cc = tp.path("chunk_cache");
        m.put("key_cache", kc.isMissingNode() ? null : kc); // a node before the caches has none
        m.put("chunk_cache", cc.isMissingNode() ? null : cc);
        if (json) {
            printJson(m);
            return 0;
        }
        TextTable t = new TextTable("", "", "");
        t.row("ID", ":", m.get("id"));
        t.row("Address", ":", m.get("address") + ":" + m.get("http_port"));
        t.row("Data Center", ":", m.get("dc"));
        t.row("Rack", ":", m.get("rack"));
        t.row("State", ":", m.get("state"));
        t.row("Load", ":", m.get("load_bytes") == null ? "?" : bytes((Long) m.get("load_bytes")));
        t.row("Tokens", ":", m.get("tokens"));
        t.row("Schema version", ":", m.get("schema_version"));
        t.row("Metadata epoch", ":", m.get("epoch"));
        t.row("Tables", ":", tables);
        t.row("SSTables", ":", sstables + " (" + bytes(sstableBytes) + ")");
        t.row("Memtable data", ":", bytes(memtableBytes));
        t.row("Drained", ":", m.get("drained"));
        if (!kc.isMissingNode()) { // as nodetool info: entries, size, capacity, hits, requests, hit rate
            t.row("Key Cache", ":", cache(kc));
            t.row("Chunk Cache", ":", cache(cc));
        }
        t.print(out);
        return 0;
    }

    private static String cache(JsonNode c) {
        return "entries " + c.path("entries").asLong() + ", size " + bytes(c.path("size_bytes").asLong())
                + ", capacity " + bytes(c.path("capacity_bytes").asLong()) + ", " + c.path("hits").asLong() + " hits, "
                + c.path("requests").asLong() + " requests, "
                + (c.path("hit_rate").isNumber() ? String.format(java.util.Locale.ROOT, "%.3f", c.path("hit_rate").asDouble()) : "NaN")
                + " hit rate";
    }
}
