package io.sibyl.app.http.routes;

import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.app.errors.NodeUnreachableException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.tls.NodeTls;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/cluster/nodes/{id}/metrics}: another ring member's {@code /metrics}, fetched by this node,
 * so the dashboard (which talks to the node that served it only: same origin, no CORS) can total the
 * request rates, latencies and hints of every node (docs/operations.md, "The web dashboard"). Only ring
 * members are asked, at the address they advertise; over HTTPS with this node's TLS context when HTTPS is
 * on; the caller's {@code Authorization} goes along, so the peer applies its own access rules.
 */
public final class PeerMetricsRoutes {
    private static final Logger log = LoggerFactory.getLogger(PeerMetricsRoutes.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final RingViewHolder ring;
    private final NodeTls tls;
    private final HttpClient http;

    public PeerMetricsRoutes(RingViewHolder ring, NodeTls tls) {
        this.ring = ring;
        this.tls = tls;
        this.http = tls.peerHttpClient(TIMEOUT);
    }

    public void register(HttpApi api) {
        api.get("/v1/cluster/nodes/{}/metrics", r -> {
            String id = r.pathParam(0);
            NodeInfo node = ring.current().nodes().stream().filter(n -> n.id().equals(NodeId.of(id))).findFirst()
                    .orElseThrow(() -> new NotFoundException("node " + id + " is not in the ring"));
            HttpRequest.Builder req = HttpRequest.newBuilder(tls.peerUri(node.host(), node.httpPort(), "/metrics"))
                    .timeout(TIMEOUT).header("Accept", "text/plain").GET();
            r.http().getHeader("Authorization").ifPresent(h -> req.header("Authorization", h.value()));
            return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((resp, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    log.debug("metrics of node {} at {}:{} not read", id, node.host(), node.httpPort(), cause);
                    throw new NodeUnreachableException(id, "node " + id + " did not answer for its metrics: " + cause, cause);
                }
                // the peer's own answer (its metrics, or its 401/403 error object) as it gave it
                boolean text = resp.statusCode() == 200;
                return org.apache.pekko.http.javadsl.model.HttpResponse.create().withStatus(resp.statusCode())
                        .withEntity(HttpEntities.create(text ? ContentTypes.parse(io.sibyl.app.metrics.NodeMetrics.CONTENT_TYPE)
                                : ContentTypes.APPLICATION_JSON, resp.body()));
            });
        });
    }
}
