package io.sibyl.app.cql.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashing of role passwords ({@code $2a$}, as Cassandra's jBCrypt writes them, so hashes carry
 * over). Passwords longer than bcrypt's 72 bytes are truncated, as jBCrypt does. The work factor is
 * {@code sibyl.auth.bcrypt_cost}; each hash records its own, so changing it affects new passwords only.
 */
public final class PasswordHasher {
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;

    private final int cost;

    public PasswordHasher(int cost) {
        if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
            throw new IllegalArgumentException("sibyl.auth.bcrypt_cost must be between " + BCrypt.MIN_COST
                    + " and " + BCrypt.MAX_COST + ", got " + cost);
        }
        this.cost = cost;
    }

    public String hash(String password) {
        return BCrypt.with(VERSION, LongPasswordStrategies.truncate(VERSION))
                .hashToString(cost, password.toCharArray());
    }

    /** Whether {@code password} matches {@code hash}; false (never an exception) for a malformed hash. */
    public boolean matches(String password, String hash) {
        if (password == null || hash == null) return false;
        try {
            return BCrypt.verifyer(VERSION, LongPasswordStrategies.truncate(VERSION))
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
