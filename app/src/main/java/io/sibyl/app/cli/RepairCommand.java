package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sibyl repair KEYSPACE [TABLE]}: starts an anti-entropy repair on a node
 * ({@code POST /v1/admin/repair}) and polls {@code GET /v1/admin/repair/{id}} until it ends, as
 * {@code nodetool repair}. Exit code 0 when the session succeeded, 1 when it failed or could not start.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Repair a keyspace (or one table) on a node: compare replicas' Merkle trees and stream the differences.")
public final class RepairCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "KEYSPACE", description = "The keyspace to repair")
    String keyspace;

    @Parameters(index = "1", paramLabel = "TABLE", arity = "0..1", description = "Only this table")
    String table;

    @Option(names = {"--pr", "-pr"}, description = "Only the node's primary ranges (run it on every node to repair each range once)")
    boolean primaryRange;

    @Option(names = "--start-token", description = "Only tokens after this one (with --end-token)")
    Long startToken;

    @Option(names = "--end-token", description = "Only tokens up to and including this one (with --start-token)")
    Long endToken;

    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--poll-interval", description = "How often to ask for progress (default ${DEFAULT-VALUE})",
            defaultValue = "PT1S")
    Duration pollInterval;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Where progress and errors go (tests capture them). */
    public RepairCommand printTo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        if ((startToken == null) != (endToken == null)) {
            err.println("--start-token and --end-token go together");
            return 1;
        }
        NodeClient client = node.client();
        StringBuilder q = new StringBuilder("keyspace=").append(enc(keyspace));
        if (table != null) {
            q.append("&table=").append(enc(table));
        }
        if (primaryRange) {
            q.append("&pr=true");
        }
        if (startToken != null) {
            q.append("&start_token=").append(startToken).append("&end_token=").append(endToken);
        }
        HttpResponse<String> started = client.post("/v1/admin/repair?" + q);
        if (started.statusCode() != 202) {
            err.println("repair could not start (HTTP " + started.statusCode() + "): " + started.body());
            return 1;
        }
        String id = JSON.readTree(started.body()).path("id").asText();
        out.println("repair " + id + " started on " + client.base());
        try (Progress progress = Progress.start(out, "repair", "ranges")) {
            while (true) {
                HttpResponse<String> r = client.get("/v1/admin/repair/" + id);
                if (r.statusCode() != 200) {
                    err.println("cannot read the progress of repair " + id + " (HTTP " + r.statusCode() + "): " + r.body());
                    return 1;
                }
                JsonNode s = JSON.readTree(r.body());
                String state = s.path("state").asText();
                progress.update(s.path("ranges_done").asLong(), s.path("ranges_total").asLong(), "ranges " + state + ", "
                        + s.path("mismatched_leaves").asLong() + " mismatched leaves, "
                        + s.path("partitions_streamed").asLong() + " partitions streamed");
                if ("SUCCEEDED".equals(state)) {
                    out.println("repair " + id + " SUCCEEDED");
                    return 0;
                }
                if ("FAILED".equals(state)) {
                    err.println("repair " + id + " failed: " + s.path("error").asText());
                    return 1;
                }
                Thread.sleep(pollInterval.toMillis());
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
