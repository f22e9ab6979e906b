package io.sibyl.app.cql.auth;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Safe by default: a node that accepts clients on a non-loopback address must authenticate them.
 * {@code sibyl start} refuses such a configuration with AllowAllAuthenticator unless {@code --allow-insecure}.
 */
public final class InsecureBindCheck {
    private InsecureBindCheck() {
    }

    /** Why {@code config} is unsafe to start, or null if it is fine. */
    public static String problem(Config config) {
        if (AuthSettings.from(config).passwordAuthenticator()) return null;
        List<String> exposed = new ArrayList<>();
        String http = config.getString("sibyl.http.host");
        if (!isLoopback(http)) exposed.add("HTTP on " + http);
        String cql = config.getString("sibyl.cql.host");
        if (cql.isBlank()) cql = http;
        if (config.getInt("sibyl.cql.port") > 0 && !isLoopback(cql)) exposed.add("the CQL native protocol on " + cql);
        if (exposed.isEmpty()) return null;
        return "refusing to serve " + String.join(" and ", exposed) + " without authentication: anyone who reaches "
                + "the port could read, write and drop data. Turn authentication on (sibyl.auth.authenticator = "
                + "PasswordAuthenticator and sibyl.auth.authorizer = CassandraAuthorizer in sibyl.conf; see "
                + "docs/security.md), bind 127.0.0.1, or pass --allow-insecure to start anyway";
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) return false;
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) return false;
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
