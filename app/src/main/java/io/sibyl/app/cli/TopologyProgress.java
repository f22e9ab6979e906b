package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a topology change over HTTP and prints its progress from {@code GET /v1/cluster} until the
 * node is off the ring (decommission, removenode). Polls the other nodes too: a decommissioned node
 * stops serving at the end.
 */
final class TopologyProgress {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;

    TopologyProgress(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static String base(String host) {
        return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    }

    /** Posts to {@code path}, then waits until {@code nodeId} (null: the answering node) has left. */
    int run(NodeClient client, String path, String nodeId, String op, Duration poll, Duration timeout) throws Exception {
        String base = client.base();
        List<NodeClient> hosts = new ArrayList<>();
        hosts.add(client);
        String id = nodeId;
        try {
            JsonNode cluster = get(client, "/v1/cluster");
            if (id == null) {
                id = cluster.path("node").asText();
            }
            for (JsonNode n : cluster.path("nodes")) {
                if (!n.path("id").asText().equals(id) && "UN".equals(n.path("state").asText())) {
                    String scheme = base.startsWith("https:") ? "https://" : "http://";
                    hosts.add(client.at(scheme + n.path("address").asText() + ":" + n.path("http_port").asInt()));
                }
            }
        } catch (Exception e) {
            err.println("cannot read the cluster from " + base + ": " + e.getMessage());
            return 1;
        }
        HttpResponse<String> started = client.post(path);
        if (started.statusCode() != 202) {
            err.println(op + " refused (HTTP " + started.statusCode() + "): " + started.body());
            return 1;
        }
        out.println(op + " of node " + id + " started: " + JSON.readTree(started.body()).path("message").asText());
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        boolean seenChange = false;
        // on a terminal a bar of the streams done; otherwise a line at each change of step or of streams done
        try (Progress bar = Progress.start(out, op, "streams")) {
            while (System.nanoTime() < deadline) {
                JsonNode cluster = null;
                for (NodeClient h : hosts) {
                    try {
                        cluster = get(h, "/v1/cluster");
                        break;
                    } catch (Exception e) {
                        // that node is gone (the decommissioned one stops serving): ask another
                    }
                }
                if (cluster == null) {
                    err.println("no node answers any more: " + hosts.stream().map(NodeClient::base).toList());
                    return 1;
                }
                JsonNode change = cluster.path("topology_change");
                boolean listed = false;
                for (JsonNode n : cluster.path("nodes")) {
                    listed |= n.path("id").asText().equals(id);
                }
                String line;
                if (change.isMissingNode() || change.isNull()) {
                    if (!listed) {
                        bar.close();
                        out.println(op + " of node " + id + " done: it has left the ring (epoch " + cluster.path("epoch").asLong() + ")");
                        return 0;
                    }
                    if (seenChange) {
                        err.println(op + " of node " + id + " ended without the node leaving (aborted: see the logs of the nodes)");
                        return 1;
                    }
                    line = "waiting for the change to start (epoch " + cluster.path("epoch").asLong() + ")";
                } else {
                    seenChange = true;
                    int done = change.path("streams_done").size();
                    int total = change.path("streamers").size();
                    line = "epoch " + cluster.path("epoch").asLong() + ": " + change.path("kind").asText() + " of "
                            + change.path("node").asText() + " at " + change.path("step").asText() + ", streams done "
                            + done + "/" + total;
                    if (bar.isBar()) {
                        bar.update(done, total, change.path("step").asText());
                    }
                }
                if (!line.equals(last) && !bar.isBar()) {
                    out.println(line);
                }
                last = line;
                Thread.sleep(poll.toMillis());
            }
        }
        err.println(op + " of node " + id + " did not finish within " + timeout + "; it goes on: watch GET /v1/cluster");
        return 1;
    }

    private JsonNode get(NodeClient c, String path) throws Exception {
        HttpResponse<String> r = c.get(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " from " + c.base() + path);
        }
        return JSON.readTree(r.body());
    }
}
