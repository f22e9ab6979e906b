package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/** {@code sibyl describecluster}: partitioner, schema versions (and whether they agree), nodes per data center. */
@Command(name = "describecluster", mixinStandardHelpOptions = true, description = "Partitioner, schema versions and data centers (as nodetool describecluster).")
public final class DescribeClusterCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode cluster = get(c, "/v1/cluster");
        Map<String, List<String>> versions = new TreeMap<>();
        cluster.path("schema_versions").fields().forEachRemaining(e -> {
            List<String> ids = new ArrayList<>();
            e.getValue().forEach(id -> ids.add(id.asText()));
            versions.put(e.getKey(), ids);
        });
        Map<String, Map<String, Integer>> dcs = new TreeMap<>();
        for (JsonNode n : cluster.path("nodes")) {
            Map<String, Integer> d = dcs.computeIfAbsent(n.path("dc").asText(), k -> new TreeMap<>(Map.of("up", 0, "down", 0)));
            d.merge(n.path("state").asText().startsWith("U") ? "up" : "down", 1, Integer::sum);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partitioner", "Murmur3Partitioner");
        m.put("schema_agreement", cluster.path("schema_agreement").asBoolean());
        m.put("schema_versions", versions);
        m.put("epoch", cluster.path("epoch").asLong());
        m.put("datacenters", dcs);
        if (json) {
            printJson(m);
            return 0;
        }
        out.println("Cluster Information:");
        out.println("\tPartitioner: Murmur3Partitioner");
        out.println("\tMetadata epoch: " + m.get("epoch"));
        out.println("\tSchema versions" + (cluster.path("schema_agreement").asBoolean() ? "" : " (DISAGREEMENT)") + ":");
        versions.forEach((v, ids) -> out.println("\t\t" + v + ": " + ids));
        out.println();
        out.println("Data Centers:");
        dcs.forEach((dc, n) -> out.println("\t" + dc + " #Nodes: " + (n.get("up") + n.get("down")) + " #Down: " + n.get("down")));
        return 0;
    }
}
