package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code sibyl ring}: every token in ring order with the node that owns it (as {@code nodetool ring}). */
@Command(name = "ring", mixinStandardHelpOptions = true, description = "Every token of the ring with its node (as nodetool ring).")
public final class RingCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode cluster = get(c, "/v1/cluster");
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (JsonNode n : cluster.path("nodes")) {
            String state = n.path("state").asText();
            for (JsonNode t : n.path("tokens")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("token", t.asText());
                m.put("address", n.path("address").asText());
                m.put("host_id", n.path("id").asText());
                m.put("dc", n.path("dc").asText());
                m.put("rack", n.path("rack").asText());
                m.put("status", state.startsWith("U") ? "Up" : "Down");
                m.put("state", switch (state.length() > 1 ? state.charAt(1) : 'N') {
                    case 'J' -> "Joining";
                    case 'L' -> "Leaving";
                    case 'M' -> "Moving";
                    default -> "Normal";
                });
                m.put("load_bytes", n.path("load").isNumber() ? n.path("load").asLong() : null);
                tokens.add(m);
            }
        }
        tokens.sort(Comparator.comparingLong(m -> Long.parseLong((String) m.get("token"))));
        if (json) {
            printJson(Map.of("tokens", tokens));
            return 0;
        }
        TextTable t = new TextTable("Address", "Rack", "Status", "State", "Load", "Token");
        for (Map<String, Object> m : tokens) {
            Object load = m.get("load_bytes");
            t.row(m.get("address"), m.get("rack"), m.get("status"), m.get("state"), load == null ? "?" : bytes((Long) load),
                    m.get("token"));
        }
        t.print(out);
        return 0;
    }
}
