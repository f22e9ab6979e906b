package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sibyl refresh KEYSPACE TABLE}: loads SSTables copied into the table's directory (the last step of
 * restoring a snapshot, see docs/operations.md).
 */
@Command(name = "refresh", mixinStandardHelpOptions = true, description = "Load SSTables placed in a table's directory (restore a snapshot).")
public final class RefreshCommand extends NodeVerb {

    @Parameters(index = "0", paramLabel = "KEYSPACE")
    String keyspace;

    @Parameters(index = "1", paramLabel = "TABLE")
    String table;

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode r = post(c, "/v1/admin/refresh" + scope(keyspace, table), Duration.ofMinutes(30));
        if (json) {
            printJson(r);
        } else {
            out.println("loaded " + r.path("loaded").asInt() + " SSTables into " + keyspace + "." + table);
        }
        return 0;
    }
}
