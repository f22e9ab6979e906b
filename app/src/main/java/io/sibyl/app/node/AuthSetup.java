package io.sibyl.app.node;

import io.sibyl.actors.cluster.ClusterNode;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.auth.Auth;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates system_auth and the first superuser once the node has joined its cluster (so that it reads
 * the cluster's roles, not an empty local view), retrying while the cluster cannot answer at QUORUM yet.
 */
final class AuthSetup {
    private static final Logger log = LoggerFactory.getLogger(AuthSetup.class);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final int ATTEMPTS = 150;

    private AuthSetup() {
    }

    static void startWhenJoined(ActorSystem<?> system, ClusterNode cluster, Auth auth, SchemaStore schema, Path dataDir) {
        cluster.awaitUp(Duration.ofDays(365)).thenRun(() -> attempt(system, auth, schema, dataDir, 1));
    }

    private static void attempt(ActorSystem<?> system, Auth auth, SchemaStore schema, Path dataDir, int n) {
        auth.setup(schema, dataDir).whenComplete((v, err) -> {
            if (err == null) {
                log.info("authentication ready (system_auth present)");
                return;
            }
            if (n >= ATTEMPTS) {
                log.error("could not set up system_auth after {} attempts; logins will fail until it exists", n, err);
                return;
            }
            log.info("system_auth setup attempt {} failed ({}); retrying in {}", n, err.getMessage(), RETRY);
            system.scheduler().scheduleOnce(RETRY, () -> attempt(system, auth, schema, dataDir, n + 1),
                    system.executionContext());
        });
    }

}
