package io.sibyl.app.node;

import io.sibyl.app.node.NodeClient.Answer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What every test of one real node over HTTP shares: the node in a temporary data directory, stopped after each test. */
abstract class NodeTestSupport {
    protected SibylNode node;

    @TempDir
    protected Path dataDir;

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) node.stop().get();
    }

    protected Answer send(String method, String path, byte[] body) throws Exception {
        return NodeClient.send(node, method, path, body);
    }

    protected Answer cql(String query, Object... values) throws Exception {
        return NodeClient.cql(node, query, values);
    }
}
