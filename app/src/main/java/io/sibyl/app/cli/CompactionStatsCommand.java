package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code sibyl compactionstats}: pending compactions and the running ones with their progress. */
@Command(name = "compactionstats", mixinStandardHelpOptions = true, description = "Pending and running compactions (as nodetool compactionstats).")
public final class CompactionStatsCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode s = get(c, "/v1/admin/compactions");
        if (json) {
            printJson(s);
            return 0;
        }
        out.println("pending tasks: " + s.path("pending_tasks").asInt());
        TextTable t = new TextTable("id", "compaction type", "keyspace", "table", "completed", "total", "unit", "progress");
        for (JsonNode r : s.path("running")) {
            long done = r.path("bytes_done").asLong();
            long total = r.path("bytes_total").asLong();
            t.row(r.path("id").asText(), r.path("kind").asText(), r.path("keyspace").asText(), r.path("table").asText(),
                    done, total, "bytes", total == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100.0 * done / total));
        }
        if (t.size() > 0) {
            t.print(out);
        }
        long rate = s.path("compaction_throughput_bytes_per_second").asLong();
        out.println("Active compaction remaining time / throughput: " + (rate == 0 ? "unthrottled" : bytes(rate) + "/s"));
        return 0;
    }
}
