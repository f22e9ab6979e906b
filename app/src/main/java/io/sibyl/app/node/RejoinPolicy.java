package io.sibyl.app.node;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.app.tls.NodeTls;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a downed node, whose rejoin attempt found no seed to join, may form the cluster again itself.
 *
 * <p>A rejoining node joins only through the other seeds, so that a minority cut off by a partition
 * never forms a second cluster. But when the others crashed and restart, they may all be waiting for the
 * first seed — the node that is rejoining. So after a failed attempt it asks the other nodes of the ring
 * over HTTP: if some answer and none is a cluster member ({@code /ready} is not 200 and does not say
 * {@code "member": true}, as a bootstrapping UJ node does), there is no
 * cluster to split from, and the node may start as a seed normally. A node that does not answer counts
 * for nothing (it may be dead or beyond a partition); a member anywhere means "keep rejoining". Only the
 * first seed acts on it ({@link ClusterLayer#isFirstSeed()}), so that a whole-cluster restart, in which
 * every node restarts as a rejoining member, forms exactly one cluster (docs/adr: "restarted node rejoins,
 * never self-joins").
 */
final class RejoinPolicy {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private RejoinPolicy() {
    }

    /** What the other nodes' {@code /ready} said: answered at all, and whether any is a member. */
    record Census(int answered, int members) {
        boolean mayFormCluster() {
            return answered > 0 && members == 0;
        }
    }

    static Census census(RingView view) {
        return census(view, NodeTls.off());
    }

    /** With HTTPS on, the peers are asked over HTTPS with this node's key material (trusting the cluster CA). */
    static Census census(RingView view, NodeTls tls) {
        HttpClient http = tls.peerHttpClient(TIMEOUT);
        List<NodeInfo> others = new ArrayList<>();
        for (NodeInfo n : view.nodes()) {
            if (!n.id().equals(view.selfId())) {
                others.add(n);
            }
        }
        int answered = 0;
        int members = 0;
        for (NodeInfo n : others) {
            HttpRequest request = HttpRequest.newBuilder(tls.peerUri(n.host(), n.httpPort(), "/ready"))
                    .timeout(TIMEOUT).GET().build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                answered++;
                if (isMember(response.statusCode(), response.body())) {
                    members++;
                }
            } catch (IOException silent) {
                // not reachable: dead, or on the other side of a partition — no evidence either way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Census(answered, members);
    }

    /**
     * Whether a peer's {@code /ready} answer shows a cluster member: 200 (it serves), or a 503 whose body
     * says {@code "member": true} — a node that is bootstrapping (UJ), leaving or moving is a member of the
     * running cluster though not ready, so the first seed must not form a second one beside it.
     */
    static boolean isMember(int status, String body) {
        if (status == 200) {
            return true;
        }
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            return io.sibyl.app.http.Json.MAPPER.readTree(body).path("member").asBoolean(false);
        } catch (IOException | RuntimeException e) {
            // an answer that is not our JSON (another service on the port) is no evidence of a member
            return false;
        }
    }
}
