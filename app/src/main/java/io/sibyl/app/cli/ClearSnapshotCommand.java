package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sibyl clearsnapshot (-t TAG | --all) [KEYSPACE]}: deletes snapshots. */
@Command(name = "clearsnapshot", mixinStandardHelpOptions = true, description = "Delete the snapshot TAG (or --all snapshots), of every keyspace or one.")
public final class ClearSnapshotCommand extends NodeVerb {

    @Option(names = {"-t", "--tag"}, description = "The snapshot to delete")
    String tag;

    @Option(names = "--all", description = "Delete every snapshot")
    boolean all;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEYSPACE")
    String keyspace;

    @Override
    int run(NodeClient c) throws Exception {
        if ((tag == null) == !all) {
            throw new NodeError("give either -t TAG or --all");
        }
        StringBuilder q = new StringBuilder("/v1/admin/snapshot?");
        q.append(all ? "all=true" : "tag=" + enc(tag));
        if (keyspace != null) {
            q.append("&keyspace=").append(enc(keyspace));
        }
        JsonNode r = check(c.delete(q.toString()), "clearsnapshot");
        if (json) {
            printJson(r);
        } else {
            out.println("cleared " + r.path("cleared").asInt() + " table snapshots");
        }
        return 0;
    }
}
