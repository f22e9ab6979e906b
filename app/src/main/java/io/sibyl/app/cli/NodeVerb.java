package io.sibyl.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the nodetool-like verbs share: {@code @Mixin NodeOptions}, {@code --json}, output streams tests can
 * capture, and reading answers (an error answer prints the node's code and message and exits 1).
 * A verb implements {@link #run(NodeClient)}: human tables by default, a stable JSON document with
 * {@code --json} (snake_case keys, always the same ones).
 */
abstract class NodeVerb implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--json", description = "Print JSON instead of a table")
    boolean json;

    PrintStream out = System.out;
    PrintStream err = System.err;

    /** Where output and errors go (tests capture them). */
    public NodeVerb printTo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    /** Thrown by {@link #check}: the node answered an error; the verb exits 1 with it. */
    static final class NodeError extends RuntimeException {
        NodeError(String message) {
            super(message);
        }
    }

    @Override
    public final Integer call() throws Exception {
        try {
            return run(node.client());
        } catch (NodeError e) {
            err.println(e.getMessage());
            return 1;
        } catch (java.net.ConnectException e) {
            err.println("cannot connect to " + node.host() + ": " + e.getMessage());
            return 1;
        }
    }

    abstract int run(NodeClient client) throws Exception;

    /** The JSON body of a 2xx answer, or a {@link NodeError} naming the error code and message. */
    static JsonNode check(HttpResponse<String> r, String what) throws Exception {
        if (r.statusCode() / 100 != 2) {
            String message = r.body();
            try {
                JsonNode e = JSON.readTree(r.body()).path("error");
                if (!e.isMissingNode()) {
                    message = e.path("code").asText() + ": " + e.path("message").asText();
                }
            } catch (Exception ignored) {
                // not JSON: print the body as it is
            }
            throw new NodeError(what + " failed (HTTP " + r.statusCode() + "): " + message);
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    static JsonNode get(NodeClient c, String path) throws Exception {
        return check(c.get(path), "GET " + path);
    }

    static JsonNode post(NodeClient c, String path, Duration timeout) throws Exception {
        return check(c.post(path, timeout), "POST " + path);
    }

    void printJson(Object value) throws Exception {
        out.println(JSON.writeValueAsString(value));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code ?keyspace=&table=} for the given ones (null: left out); "" when both are null. */
    static String scope(String keyspace, String table) {
        StringBuilder q = new StringBuilder();
        if (keyspace != null) {
            q.append("?keyspace=").append(enc(keyspace));
            if (table != null) {
                q.append("&table=").append(enc(table));
            }
        }
        return q.toString();
    }

    /** Bytes as nodetool prints them: 1.23 KiB, 4.5 MiB. */
    static String bytes(long b) {
        if (b < 0) {
            return "?";
        }
        if (b < 1024) {
            return b + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
