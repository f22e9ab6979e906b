package io.sibyl.stress;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code Authorization: Basic} header every request of this run carries when the node has
 * authentication on ({@code --user}, {@code --password} / {@code $SIBYL_PASSWORD}); null without a user.
 * Set once before the run starts, read by every connection.
 */
final class Credentials {
    private static volatile String header;

    private Credentials() {
    }

    static void set(String user, String password) {
        header = user == null || user.isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /** The header's value, or null. */
    static String header() {
        return header;
    }
}
