package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sibyl compact [KEYSPACE [TABLE]]}: a major compaction (as {@code nodetool compact}); shows the
 * running compactions' progress (a bar on a terminal, lines otherwise) until the node answers that it is done.
 */
@Command(name = "compact", mixinStandardHelpOptions = true, description = "Major compaction of all tables, a keyspace, or one table; waits until done.")
public final class CompactCommand extends NodeVerb {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEYSPACE")
    String keyspace;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TABLE")
    String table;

    @Option(names = "--poll-interval", defaultValue = "PT1S", description = "How often to show progress (default ${DEFAULT-VALUE})")
    Duration poll;

    @Override
    int run(NodeClient c) throws Exception {
        String path = "/v1/admin/compact" + scope(keyspace, table);
        CompletableFuture<HttpResponse<String>> done = CompletableFuture.supplyAsync(() -> {
            try {
                return c.post(path, Duration.ofHours(6));
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try (Progress p = json ? null : Progress.start(out, "compact", "bytes")) {
            CompactionProgress.await(c, done, p, keyspace, table, poll);
        }
        JsonNode r = check(done.join(), "POST " + path);
        List<String> tables = new ArrayList<>();
        r.path("compacted").forEach(t -> tables.add(t.asText()));
        if (json) {
            printJson(Map.of("compacted", tables));
        } else {
            out.println("compacted " + (tables.isEmpty() ? "nothing" : String.join(", ", tables)));
        }
        return 0;
    }
}
