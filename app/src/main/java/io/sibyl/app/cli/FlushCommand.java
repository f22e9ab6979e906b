package io.sibyl.app.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sibyl flush [KEYSPACE [TABLE]]}: flushes memtables to SSTables and waits until they are on disk. */
@Command(name = "flush", mixinStandardHelpOptions = true, description = "Flush memtables to SSTables (all tables, a keyspace, or one table).")
public final class FlushCommand extends NodeVerb {

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEYSPACE")
    String keyspace;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TABLE")
    String table;

    @Override
    int run(NodeClient c) throws Exception {
        post(c, "/v1/admin/flush" + scope(keyspace, table), Duration.ofMinutes(10));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flushed", true);
        m.put("keyspace", keyspace);
        m.put("table", table);
        if (json) {
            printJson(m);
        } else {
            out.println("flushed " + (keyspace == null ? "every table" : keyspace + (table == null ? "" : "." + table)));
        }
        return 0;
    }
}
