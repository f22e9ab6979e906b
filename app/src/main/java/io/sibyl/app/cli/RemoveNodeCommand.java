package io.sibyl.app.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sibyl removenode ID --host URL}: the ranges of the dead node ID are restreamed from the
 * remaining replicas to their new owners and ID leaves the ring ({@code POST /v1/admin/removenode/ID}
 * on any live node); prints progress until done.
 */
@Command(name = "removenode", mixinStandardHelpOptions = true,
        description = "Remove a dead node from the ring: the remaining replicas restream its ranges.")
public final class RemoveNodeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The dead node's id (GET /v1/cluster lists them)")
    String id;

    @Mixin
    NodeOptions node = new NodeOptions(); // --host: any live node

    @Option(names = "--poll-interval", defaultValue = "PT1S", description = "How often to ask for progress (default ${DEFAULT-VALUE})")
    Duration poll;

    @Option(names = "--timeout", defaultValue = "PT6H", description = "How long to wait for the end (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        return new TopologyProgress(System.out, System.err).run(node.client(),
                "/v1/admin/removenode/" + URLEncoder.encode(id, StandardCharsets.UTF_8), id, "removenode", poll, timeout);
    }
}
