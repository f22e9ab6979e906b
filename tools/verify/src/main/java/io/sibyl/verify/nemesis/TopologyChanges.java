package io.sibyl.verify.nemesis;

import com.fasterxml.jackson.databind.JsonNode;
import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.cluster.LocalCluster;
import io.sibyl.verify.cluster.Members;
import io.sibyl.verify.cluster.Node;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.logging.Logger;

/**
 * The {@code topology} nemesis: bootstraps a new node into the running cluster ({@code sibyl start --seeds}, done
 * when {@code /ready} says NORMAL) or decommissions one ({@code POST /v1/admin/decommission}, done when its process
 * ended LEFT), one change at a time, between {@code min} and {@code max} members: at {@code min} (the replication
 * factor) it only adds, at {@code max} it only removes. Seeds are never decommissioned, so every later join and
 * restart still has them.
 */
final class TopologyChanges {
    private static final Logger LOG = Logger.getLogger(TopologyChanges.class.getName());
    static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(5);
    private final LocalCluster cluster;
    private final Members members;
    private final CqlClient client;
    private final int min;
    private final int max;

    TopologyChanges(LocalCluster cluster, Members members, CqlClient client, int min, int max) {
        this.cluster = cluster;
        this.members = members;
        this.client = client;
        this.min = min;
        this.max = max;
    }

    /** The change this draw makes: "bootstrap" below max and "decommission" above min, at random when both may. */
    static String choose(int size, int min, int max, Random rnd) {
        if (size <= min) {
            return "bootstrap";
        }
        if (size >= max) {
            return "decommission";
        }
        return rnd.nextBoolean() ? "bootstrap" : "decommission";
    }

    /** Makes one change and waits until it is done; returns what it did, e.g. {@code bootstrap n6}. */
    String change(Random rnd) throws Exception {
        String what = choose(members.size(), min, max, rnd);
        if (what.equals("bootstrap")) {
            return bootstrap();
        }
        List<Node> candidates = members.nodes().stream()
                .filter(n -> !cluster.seeds().contains(n.clusterAddress())).toList();
        if (candidates.isEmpty()) {
            return bootstrap();
        }
        return decommission(candidates.get(rnd.nextInt(candidates.size())));
    }

    private String bootstrap() throws Exception {
        Node n = cluster.addNode();
        LOG.info(() -> "nemesis: bootstrap " + n.name());
        n.start();
        if (!LocalCluster.awaitReady(n, client, CHANGE_TIMEOUT)) {
            LOG.severe(() -> n.name() + " did not become NORMAL within " + CHANGE_TIMEOUT + "; killing it and aborting its join (log " + n.log() + ")");
            JsonNode health = client.getJson(n.url() + "/health");
            n.kill();
            if (health != null && health.hasNonNull("id")) {
                // a half-joined node would block every later change (409 CONFLICT)
                int status = client.send("POST", members.nodes().get(0).url() + "/v1/admin/topology/abort?node=" + health.get("id").asText());
                LOG.warning(() -> "abort of " + n.name() + "'s join answered " + status);
            }
            return "bootstrap " + n.name() + " FAILED";
        }
        members.add(n);
        return "bootstrap " + n.name();
    }

    private String decommission(Node n) throws Exception {
        LOG.info(() -> "nemesis: decommission " + n.name());
        long deadline = System.nanoTime() + CHANGE_TIMEOUT.toNanos();
        int status = client.send("POST", n.url() + "/v1/admin/decommission");
        // 409 (another change in progress) and 503 (the coordinator did not answer) are worth a retry
        while ((status == 409 || status == 503 || status == 0) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            status = client.send("POST", n.url() + "/v1/admin/decommission");
        }
        if (status != 202) {
            int s = status;
            LOG.warning(() -> "decommission of " + n.name() + " answered " + s);
            return "decommission " + n.name() + " REFUSED " + status;
        }
        while (n.alive() && System.nanoTime() < deadline) {
            Thread.sleep(200);   // the node streams its ranges away, ends LEFT and stops
        }
        if (n.alive()) {
            LOG.severe(() -> n.name() + " still runs " + CHANGE_TIMEOUT + " after its decommission was accepted");
            return "decommission " + n.name() + " UNFINISHED";
        }
        members.remove(n);
        awaitSettled(Duration.ofMinutes(2));
        return "decommission " + n.name();
    }

    /**
     * Waits until a member's {@code GET /v1/cluster} lists exactly the members, every one NORMAL, and no topology
     * change runs; false on timeout.
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            List<Node> now = members.nodes();
            JsonNode c = client.getJson(now.get(0).url() + "/v1/cluster");
            if (c != null) {
                int normal = 0;
                int listed = 0;
                for (JsonNode node : c.path("nodes")) {
                    listed++;
                    if ("NORMAL".equals(node.path("status").asText()) && "UN".equals(node.path("state").asText())) {
                        normal++;
                    }
                }
                boolean idle = c.path("topology_change").isMissingNode() || c.path("topology_change").isNull();
                if (idle && listed == now.size() && normal == now.size()) {
                    return true;
                }
                last = listed + " listed, " + normal + " UN, change " + c.path("topology_change");
            }
            Thread.sleep(250);
        }
        String l = last;
        LOG.warning(() -> "the cluster did not settle within " + timeout + ": " + l);
        return false;
    }
}
