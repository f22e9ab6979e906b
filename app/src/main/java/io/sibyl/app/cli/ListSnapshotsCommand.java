package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code sibyl listsnapshots}: every snapshot on the node with its size on disk and true size. */
@Command(name = "listsnapshots", mixinStandardHelpOptions = true, description = "The node's snapshots: tag, table, size on disk and true size.")
public final class ListSnapshotsCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode r = get(c, "/v1/admin/snapshots");
        if (json) {
            printJson(r);
            return 0;
        }
        if (r.path("snapshots").isEmpty()) {
            out.println("There are no snapshots");
            return 0;
        }
        out.println("Snapshot Details:");
        TextTable t = new TextTable("Snapshot name", "Keyspace name", "Column family name", "True size", "Size on disk", "Creation time");
        long trueTotal = 0;
        for (JsonNode s : r.path("snapshots")) {
            t.row(s.path("tag").asText(), s.path("keyspace").asText(), s.path("table").asText(),
                    bytes(s.path("true_bytes").asLong()), bytes(s.path("bytes").asLong()), s.path("created_at").asText());
            trueTotal += s.path("true_bytes").asLong();
        }
        t.print(out);
        out.println();
        out.println("Total TrueDiskSpaceUsed: " + bytes(trueTotal));
        return 0;
    }
}
