package io.sibyl.stress;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The role one run logs in as when the nodes have authentication on ({@code --user}, {@code --password} /
 * {@code $SIBYL_PASSWORD}): HTTP requests carry it as {@code Authorization: Basic}, the native protocol
 * logs in with it. A value of the run, handed to what sends requests (two runs in one process, as tests
 * do, each use their own).
 *
 * @param user     the role, null or empty for none
 * @param password its password (null: empty)
 */
public record Credentials(String user, String password) {
    public static final Credentials NONE = new Credentials(null, null);

    public static Credentials of(String user, String password) {
        return user == null || user.isEmpty() ? NONE : new Credentials(user, password == null ? "" : password);
    }

    public boolean present() {
        return user != null && !user.isEmpty();
    }

    /** The {@code Authorization} header's value, or null without a user. */
    public String header() {
        return present() ? "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8)) : null;
    }

    /** {@code request} with the Authorization header, if there is a user. */
    public HttpRequest authorize(HttpRequest request) {
        String auth = header();
        return auth == null ? request : HttpRequest.newBuilder(request, (n, v) -> true).header("Authorization", auth).build();
    }

    @Override
    public String toString() {
        return present() ? "Credentials[" + user + ", password=***]" : "Credentials[none]";
    }
}
