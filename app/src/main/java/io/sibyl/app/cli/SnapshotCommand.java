package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sibyl snapshot [-t TAG] [KEYSPACE [TABLE]]}: hard-links the live SSTables under snapshots/TAG (after a flush). */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Snapshot all tables, a keyspace, or one table (hard links; schema.cql beside).")
public final class SnapshotCommand extends NodeVerb {

    @Option(names = {"-t", "--tag"}, description = "The snapshot's name (default: the current time in milliseconds)")
    String tag;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEYSPACE")
    String keyspace;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TABLE")
    String table;

    @Override
    int run(NodeClient c) throws Exception {
        String t = tag == null ? Long.toString(System.currentTimeMillis()) : tag;
        String q = scope(keyspace, table);
        JsonNode r = post(c, "/v1/admin/snapshot" + (q.isEmpty() ? "?" : q + "&") + "tag=" + enc(t), Duration.ofMinutes(30));
        if (json) {
            printJson(r);
            return 0;
        }
        out.println("Snapshot " + r.path("tag").asText() + " taken of " + r.path("snapshots").size() + " tables");
        for (JsonNode s : r.path("snapshots")) {
            out.println("  " + s.path("keyspace").asText() + "." + s.path("table").asText() + ": " + s.path("directory").asText());
        }
        return 0;
    }
}
