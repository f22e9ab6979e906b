package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/**
 * {@code sibyl tpstats}: the node's thread pools and queues (Pekko dispatchers, flush writers, compactions),
 * then its actors by kind with their mailboxes (pending messages, completed, dropped).
 */
@Command(name = "tpstats", mixinStandardHelpOptions = true, description = "Thread pools and queues, and actor mailboxes per kind: active, pending, completed (as nodetool tpstats).")
public final class TpStatsCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode tp = get(c, "/v1/admin/tpstats");
        if (json) {
            printJson(tp);
            return 0;
        }
        TextTable t = new TextTable("Pool Name", "Active", "Pending", "Completed", "Pool Size");
        for (JsonNode p : tp.path("pools")) {
            long completed = p.path("completed").asLong();
            t.row(p.path("name").asText(), p.path("active").asLong(), p.path("pending").asLong(),
                    completed < 0 ? "n/a" : completed, p.path("pool_size").asLong());
        }
        t.print(out);
        // Sibyl's actors by kind: their mailboxes are the queues nodetool's pools would have
        TextTable a = new TextTable("Actor Kind", "Actors", "Pending", "Completed", "Blocked", "Dropped");
        for (JsonNode k : tp.path("actors")) {
            a.row(k.path("kind").asText(), k.path("actors").asLong(), k.path("pending").asLong(),
                    k.path("completed").asLong(), k.path("blocked").asLong(), k.path("dropped").asLong());
        }
        out.println();
        a.print(out);
        return 0;
    }
}
