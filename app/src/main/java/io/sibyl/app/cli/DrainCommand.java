package io.sibyl.app.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code sibyl drain}: the node refuses writes from now on (error DRAINED) and flushes every memtable;
 * reads are still served until it is stopped. Run before stopping a node for an upgrade.
 */
@Command(name = "drain", mixinStandardHelpOptions = true, description = "Flush everything and stop accepting writes (reads go on) until the node is stopped.")
public final class DrainCommand extends NodeVerb {

    @Override
    int run(NodeClient c) throws Exception {
        post(c, "/v1/admin/drain", Duration.ofMinutes(30));
        if (json) {
            printJson(Map.of("drained", true));
        } else {
            out.println("drained: memtables flushed, writes refused until the node is restarted");
        }
        return 0;
    }
}
