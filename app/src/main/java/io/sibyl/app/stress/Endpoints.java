package io.sibyl.app.stress;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The REST row endpoints of one table on every target, with URIs built once: the same PUT and bulk
 * URI is reused for every request, only row reads build a URI per key.
 */
public final class Endpoints {

    private final URI[] put;
    private final URI[] bulk;
    private final String[] rowPrefix;
    private final String consistency;
    private final Duration timeout;

    public Endpoints(List<String> targets, String keyspace, String table, String consistency, Duration timeout) {
        int n = targets.size();
        this.put = new URI[n];
        this.bulk = new URI[n];
        this.rowPrefix = new String[n];
        this.consistency = consistency;
        this.timeout = timeout;
        for (int i = 0; i < n; i++) {
            String base = stripSlash(targets.get(i)) + "/v1/keyspaces/" + encodeSegment(keyspace)
                    + "/tables/" + encodeSegment(table) + "/rows";
            put[i] = URI.create(base + "?consistency=" + consistency);
            bulk[i] = URI.create(base + ":bulk?consistency=" + consistency);
            rowPrefix[i] = base + "/";
        }
    }

    public int targets() {
        return put.length;
    }

    public HttpRequest put(int target, String jsonRow) {
        return HttpRequest.newBuilder(put[target]).timeout(timeout)
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(jsonRow, StandardCharsets.UTF_8)).build();
    }

    public HttpRequest bulk(int target, String ndjson) {
        return HttpRequest.newBuilder(bulk[target]).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(BodyPublishers.ofString(ndjson, StandardCharsets.UTF_8)).build();
    }

    /** GET of one partition; {@code limit} &lt;= 0 means no limit. */
    public HttpRequest get(int target, String partitionKey, int limit) {
        StringBuilder uri = new StringBuilder(rowPrefix[target].length() + partitionKey.length() + 40)
                .append(rowPrefix[target]).append(encodeSegment(partitionKey))
                .append("?consistency=").append(consistency);
        if (limit > 0) {
            uri.append("&limit=").append(limit);
        }
        return HttpRequest.newBuilder(URI.create(uri.toString())).timeout(timeout).GET().build();
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (generated keys need none). */
    static String encodeSegment(String segment) {
        StringBuilder sb = null;
        byte[] bytes = null;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved) {
                bytes = segment.getBytes(StandardCharsets.UTF_8);
                break;
            }
        }
        if (bytes == null) {
            return segment;
        }
        sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
