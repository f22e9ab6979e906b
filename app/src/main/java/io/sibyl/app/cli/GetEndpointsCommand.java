package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sibyl getendpoints KS TABLE KEY}: the replicas of a partition key (composite keys as {@code a:b}). */
@Command(name = "getendpoints", mixinStandardHelpOptions = true, description = "The nodes that hold a partition key (as nodetool getendpoints).")
public final class GetEndpointsCommand extends NodeVerb {

    @Parameters(index = "0", paramLabel = "KEYSPACE")
    String keyspace;

    @Parameters(index = "1", paramLabel = "TABLE")
    String table;

    @Parameters(index = "2", paramLabel = "KEY", description = "The partition key; a composite key's parts joined by ':'")
    String key;

    @Override
    int run(NodeClient c) throws Exception {
        JsonNode r = get(c, "/v1/admin/endpoints?keyspace=" + enc(keyspace) + "&table=" + enc(table) + "&key=" + enc(key));
        if (json) {
            printJson(r);
            return 0;
        }
        for (JsonNode e : r.path("endpoints")) {
            out.println(e.path("address").asText() + ":" + e.path("http_port").asInt() + "  " + e.path("id").asText());
        }
        return 0;
    }
}
