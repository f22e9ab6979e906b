package io.sibyl.app.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sibyl decommission --host URL}: the node at URL streams its ranges to their new owners and
 * leaves the ring ({@code POST /v1/admin/decommission}); prints progress until it has left. Exit code
 * 0 when it left, 1 when refused, aborted or not done in time.
 */
@Command(name = "decommission", mixinStandardHelpOptions = true,
        description = "Remove a live node from the ring: its ranges move to the other nodes, then it stops.")
public final class DecommissionCommand implements Callable<Integer> {

    @Mixin
    NodeOptions node = new NodeOptions(); // --host: the leaving node

    @Option(names = "--poll-interval", defaultValue = "PT1S", description = "How often to ask for progress (default ${DEFAULT-VALUE})")
    Duration poll;

    @Option(names = "--timeout", defaultValue = "PT6H", description = "How long to wait for the end (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        return new TopologyProgress(System.out, System.err).run(node.client(), "/v1/admin/decommission", null, "decommission",
                poll, timeout);
    }
}
