package io.sibyl.stress;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;

/**
 * One HTTP request of a workload, independent of the client that sends it: the measured lanes send
 * it over their own {@link HttpConnection}s, the loader and set-up through the JDK client.
 *
 * @param target      index of the node it goes to (the lane's connection to that node)
 * @param pathAndQuery raw (already encoded) path and query, e.g. {@code /v1/keyspaces/k/tables/t/rows?consistency=ONE}
 * @param body        the body bytes, or null for none
 */
public record StressRequest(String method, int target, URI base, String pathAndQuery, String contentType, byte[] body) {

    /** The same request for {@code java.net.http}, carrying {@code credentials}. */
    public HttpRequest toJdk(Duration timeout, Credentials credentials) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString() + pathAndQuery)).timeout(timeout);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        String auth = credentials.header();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body)).build();
    }
}
