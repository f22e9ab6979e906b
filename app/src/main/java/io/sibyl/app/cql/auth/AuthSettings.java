package io.sibyl.app.cql.auth;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code sibyl.auth.*} (config/sibyl.conf documents each).
 *
 * @param passwordAuthenticator      authenticator = PasswordAuthenticator (else AllowAllAuthenticator)
 * @param cassandraAuthorizer        authorizer = CassandraAuthorizer (else AllowAllAuthorizer)
 * @param systemAuthRf               replication factor of system_auth when this node creates it
 * @param bcryptCost                 bcrypt work factor of new password hashes
 * @param cacheValidity              how long a checked credential, a role's grants and permissions are reused
 * @param metricsOpen                whether /metrics answers without credentials
 * @param maxFailedLoginsPerMinute   failed logins one client address may make per minute before it is refused outright
 */
public record AuthSettings(boolean passwordAuthenticator, boolean cassandraAuthorizer, int systemAuthRf,
                           int bcryptCost, Duration cacheValidity, boolean metricsOpen, int maxFailedLoginsPerMinute) {

    public static final AuthSettings ALLOW_ALL = new AuthSettings(false, false, 1, 10, Duration.ofSeconds(2), true, 10);

    public boolean enabled() {
        return passwordAuthenticator || cassandraAuthorizer;
    }

    public static AuthSettings from(Config config) {
        Config c = config.getConfig("sibyl.auth");
        String authenticator = simpleName(c.getString("authenticator"));
        String authorizer = simpleName(c.getString("authorizer"));
        boolean password = switch (authenticator) {
            case "PasswordAuthenticator" -> true;
            case "AllowAllAuthenticator" -> false;
            default -> throw new IllegalArgumentException("sibyl.auth.authenticator must be AllowAllAuthenticator or "
                    + "PasswordAuthenticator, got '" + c.getString("authenticator") + "'");
        };
        boolean cassandra = switch (authorizer) {
            case "CassandraAuthorizer" -> true;
            case "AllowAllAuthorizer" -> false;
            default -> throw new IllegalArgumentException("sibyl.auth.authorizer must be AllowAllAuthorizer or "
                    + "CassandraAuthorizer, got '" + c.getString("authorizer") + "'");
        };
        if (cassandra && !password) {
            throw new IllegalArgumentException("sibyl.auth.authorizer = CassandraAuthorizer needs "
                    + "sibyl.auth.authenticator = PasswordAuthenticator (permissions belong to logged-in roles)");
        }
        int rf = c.getInt("system_auth_rf");
        if (rf < 1) throw new IllegalArgumentException("sibyl.auth.system_auth_rf must be at least 1, got " + rf);
        return new AuthSettings(password, cassandra, rf, c.getInt("bcrypt_cost"), c.getDuration("cache_validity"),
                c.getBoolean("metrics_open"), c.getInt("max_failed_logins_per_minute"));
    }

    /** Cassandra's configs name them fully (org.apache.cassandra.auth.PasswordAuthenticator): both are accepted. */
    private static String simpleName(String s) {
        int dot = s.lastIndexOf('.');
        return dot < 0 ? s.trim() : s.substring(dot + 1).trim();
    }
}
