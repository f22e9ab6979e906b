package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sibyl status [KEYSPACE]}: every node as {@code nodetool status} shows it (state, address, load,
 * tokens, owns, host id, rack), by data center, from {@code GET /v1/cluster}. Owns is the effective
 * ownership under KEYSPACE's replication when given, else the primary ownership.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "The cluster's nodes: state, load, tokens, ownership (as nodetool status).")
public final class StatusCommand extends NodeVerb {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEYSPACE", description = "Ownership under this keyspace's replication")
    String keyspace;

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode cluster = get(c, "/v1/cluster");
        Map<String, List<Map<String, Object>>> byDc = new TreeMap<>();
        for (JsonNode n : cluster.path("nodes")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("state", n.path("state").asText());
            m.put("address", n.path("address").asText());
            m.put("load_bytes", n.path("load").isNumber() ? n.path("load").asLong() : null);
            m.put("tokens", n.path("num_tokens").asInt());
            m.put("owns", keyspace == null ? n.path("primary_ownership").asDouble()
                    : n.path("ownership").path(keyspace).asDouble(0));
            m.put("host_id", n.path("id").asText());
            m.put("dc", n.path("dc").asText());
            m.put("rack", n.path("rack").asText());
            byDc.computeIfAbsent(n.path("dc").asText(), d -> new ArrayList<>()).add(m);
        }
        if (keyspace != null && !cluster.path("nodes").isEmpty()
                && !cluster.path("nodes").get(0).path("ownership").has(keyspace)) {
            throw new NodeError("no keyspace " + keyspace);
        }
        if (json) {
            List<Map<String, Object>> all = new ArrayList<>();
            byDc.values().forEach(all::addAll);
            printJson(Map.of("nodes", all));
            return 0;
        }
        for (var dc : byDc.entrySet()) {
            out.println("Datacenter: " + dc.getKey());
            out.println("=".repeat(12 + dc.getKey().length()));
            out.println("Status=Up/Down");
            out.println("|/ State=Normal/Leaving/Joining/Moving");
            TextTable t = new TextTable("--", "Address", "Load", "Tokens", "Owns" + (keyspace == null ? "" : " (effective)"),
                    "Host ID", "Rack");
            for (Map<String, Object> m : dc.getValue()) {
                Object load = m.get("load_bytes");
                t.row(m.get("state"), m.get("address"), load == null ? "?" : bytes((Long) load), m.get("tokens"),
                        String.format(Locale.ROOT, "%.1f%%", 100 * (Double) m.get("owns")), m.get("host_id"), m.get("rack"));
            }
            t.print(out);
            out.println();
        }
        return 0;
    }
}
