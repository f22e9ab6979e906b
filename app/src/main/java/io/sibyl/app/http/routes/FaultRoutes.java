package io.sibyl.app.http.routes;

import io.sibyl.actors.cluster.ClusterSettings;
import io.sibyl.actors.cluster.PartitionSwitch;
import io.sibyl.actors.coordinator.DistributedCoordinator;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TEST ONLY, registered only with {@code sibyl.cluster.fault_injection = on} (otherwise these paths
 * are 404): a network partition between this node and chosen peers, for the multi-JVM tests.
 * <ul>
 *   <li>{@code POST /v1/admin/fault/partition?peers=host:port,...} cuts this node's inter-node
 *       traffic to and from those cluster addresses, both ways (HTTP is not affected);</li>
 *   <li>{@code DELETE /v1/admin/fault/partition} heals it;</li>
 *   <li>{@code GET /v1/admin/fault/partition} lists the peers cut off;</li>
 *   <li>{@code POST /v1/admin/fault/crash_after_batchlog} makes this node halt (as kill -9: no shutdown
 *       hooks, no flush) on the next logged batch it coordinates, right after the batch's batchlog
 *       write was acked and before any of its mutations is sent;
 *       {@code DELETE /v1/admin/fault/crash_after_batchlog} disarms it.</li>
 * </ul>
 * A partition between groups A and B is made by cutting, on every node of A, the nodes of B (and
 * the other way round, so that neither side's messages leak through).
 */
public final class FaultRoutes {
    private static final Logger log = LoggerFactory.getLogger(FaultRoutes.class);

    /** The exit status of a JVM halted by crash_after_batchlog (that of a process killed by SIGKILL). */
    public static final int CRASH_EXIT_STATUS = 137;

    private final ActorSystem<?> system;
    private final DistributedCoordinator coordinator;

    public FaultRoutes(ActorSystem<?> system, DistributedCoordinator coordinator) {
        this.system = system;
        this.coordinator = coordinator;
    }

    public void register(HttpApi api) {
        api.get("/v1/admin/fault/partition", r -> Responses.doneOk(body()));
        api.post("/v1/admin/fault/partition", r -> {
            String raw = r.query("peers").orElseThrow(
                    () -> new InvalidRequestException("peers is required: host:port of the nodes to cut off"));
            Set<ClusterSettings.HostPort> peers = new LinkedHashSet<>();
            for (String p : raw.split(",")) {
                if (!p.isBlank()) {
                    try {
                        peers.add(ClusterSettings.HostPort.parse(p));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidRequestException(e.getMessage());
                    }
                }
            }
            if (peers.isEmpty()) {
                throw new InvalidRequestException("peers must name at least one host:port");
            }
            log.warn("fault injection: cutting inter-node traffic with {}", peers);
            PartitionSwitch.isolate(system, peers);
            return Responses.doneOk(body());
        });
        api.delete("/v1/admin/fault/partition", r -> {
            log.warn("fault injection: healing the partition with {}", PartitionSwitch.isolated());
            PartitionSwitch.heal(system);
            return Responses.doneOk(body());
        });
        registerCrashAfterBatchlog(api);
    }

    private void registerCrashAfterBatchlog(HttpApi api) {
        api.post("/v1/admin/fault/crash_after_batchlog", r -> {
            log.warn("fault injection: this node halts after the batchlog write of its next logged batch");
            coordinator.afterBatchlogWrite(() -> {
                log.error("fault injection: halting after a batchlog write (crash_after_batchlog)");
                Runtime.getRuntime().halt(CRASH_EXIT_STATUS);
            });
            return Responses.doneOk(Map.of("crash_after_batchlog", true));
        });
        api.delete("/v1/admin/fault/crash_after_batchlog", r -> {
            coordinator.afterBatchlogWrite(null);
            return Responses.doneOk(Map.of("crash_after_batchlog", false));
        });
    }

    private static Map<String, Object> body() {
        List<String> peers = PartitionSwitch.isolated().stream().map(Object::toString).sorted().toList();
        return Map.of("isolated_from", peers);
    }
}
