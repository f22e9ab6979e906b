package io.sibyl.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every CLI verb that talks to a running node shares ({@code @Mixin NodeOptions node}):
 * the node's address, credentials and the CA that signed its certificate. {@link #client()} builds a
 * {@link NodeClient} from them.
 */
public final class NodeOptions {

    @Option(names = "--host", description = "The node's HTTP address (default ${DEFAULT-VALUE})",
            defaultValue = "http://127.0.0.1:8080")
    String host;

    @Option(names = {"--user", "-u"}, description = "Role name, when authentication is on (or $SIBYL_USER)",
            defaultValue = "${env:SIBYL_USER}")
    String user;

    @Option(names = {"--password", "-pw"}, description = "The role's password (or $SIBYL_PASSWORD)",
            defaultValue = "${env:SIBYL_PASSWORD}")
    String password;

    @Option(names = "--cacert", description = "PEM file of the CA that signed the node's certificate (https:// hosts)")
    Path caCert;

    public NodeOptions() {
    }

    /** Options for code (tests, other verbs) that builds them without picocli. */
    public static NodeOptions of(String host, String user, String password, Path caCert) {
        NodeOptions o = new NodeOptions();
        o.host = host;
        o.user = user;
        o.password = password;
        o.caCert = caCert;
        return o;
    }

    /** The node's base address without a trailing slash. */
    public String host() {
        return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Path caCert() {
        return caCert;
    }

    /** A client for {@link #host()}; for another node of the same cluster use {@link NodeClient#at(String)}. */
    public NodeClient client() {
        return NodeClient.create(this);
    }
}
