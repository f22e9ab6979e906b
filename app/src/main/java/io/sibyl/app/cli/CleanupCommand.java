package io.sibyl.app.cli;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sibyl cleanup [KEYSPACE [TABLE]]}: drops from a node's SSTables the partitions it no longer
 * replicates ({@code POST /v1/admin/cleanup}), as {@code nodetool cleanup} after adding nodes. Waits until
 * done. Exit code 0 when done, 1 when refused (e.g. TOPOLOGY_CHANGE_IN_PROGRESS) or failed.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Remove data a node no longer replicates (run on each old node after a node joined).")
public final class CleanupCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "KEYSPACE", arity = "0..1", description = "Only this keyspace (default: all)")
    String keyspace;

    @Parameters(index = "1", paramLabel = "TABLE", arity = "0..1", description = "Only this table of the keyspace")
    String table;

    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--poll-interval", defaultValue = "PT1S", description = "How often to show progress (default ${DEFAULT-VALUE})")
    Duration poll;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Where results and errors go (tests capture them). */
    public CleanupCommand printTo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    @Override
    public Integer call() throws Exception {
        NodeClient client = node.client();
        StringBuilder q = new StringBuilder();
        if (keyspace != null) {
            q.append("?keyspace=").append(URLEncoder.encode(keyspace, StandardCharsets.UTF_8));
            if (table != null) {
                q.append("&table=").append(URLEncoder.encode(table, StandardCharsets.UTF_8));
            }
        }
        out.println("cleanup started on " + client.base() + (keyspace == null ? "" : " for " + keyspace + (table == null ? "" : "." + table)));
        CompletableFuture<HttpResponse<String>> done = CompletableFuture.supplyAsync(() -> {
            try {
                return client.post("/v1/admin/cleanup" + q, Duration.ofHours(6));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        // the rewrites run through the compactor: their bytes done show as progress
        try (Progress p = Progress.start(out, "cleanup", "bytes")) {
            CompactionProgress.await(client, done, p, keyspace, table, poll);
        }
        HttpResponse<String> r;
        try {
            r = done.join();
        } catch (CompletionException e) {
            err.println("cleanup failed: " + e.getCause());
            return 1;
        }
        if (r.statusCode() != 200) {
            err.println("cleanup failed (HTTP " + r.statusCode() + "): " + r.body());
            return 1;
        }
        out.println("cleanup done: " + r.body());
        return 0;
    }
}
